"""The trainer's item analysis on a phone and a desktop: bars, the questions to look at first,
the key marked, and nothing wider than the screen, with long options and long match texts."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from tests.browser.conftest import create_staff
from tests.browser.long_texts import URL, WORD
from tests.browser.test_accessibility import axe, blocking_violations, wider_than_screen  # noqa: F401
from tests.browser.test_trainee_flow import sign_in

pytestmark = pytest.mark.browser

SLUG = "item-analysis"
PAGE = f"/author/courses/{SLUG}/modules/quiz/quiz"
QUESTIONS = [
    {"type": "single_choice", "prompt": f"下列哪一项是{WORD}的职责？{URL}",
     "options": [WORD * 2, URL, "按照党支部工作条例的规定认真组织开展“三会一课”"], "answer": "A"},
    {"type": "true_false", "prompt": "入党誓词需要宣读。", "answer": "正确"},
    {"type": "single_choice", "prompt": "这道题的答案设反了吗？", "options": ["甲", "乙"], "answer": "A"},
    {"type": "multiple_choice", "prompt": "以下哪些属于党员义务？", "options": ["甲", "乙", "丙", "丁"],
     "answer": "AB", "points": 2},
    {"type": "matching", "prompt": "请连线。",
     "options": [f"党的最高领导机关 -> {WORD}{WORD}", "党的最高纪律检查机关 -> 中央纪律检查委员会",
                 f"-> {URL}"]},
]
# Marks of six trainees, q1..q5 (q4 out of 2, scored "half"): q2 is too easy, q3 runs the
# wrong way (the weaker trainees get it right), so both are flagged and shown first.
MARKS = [[1, 1, 1, 2, 1], [1, 1, 0, 1, 1], [0, 1, 1, 0, 1],
         [0, 1, 1, 1, 0], [0, 1, 1, 0, 1], [0, 1, 1, 0, 0]]

_built: dict[int, tuple[str, str]] = {}


def _write_course(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "course.yml").write_text(textwrap.dedent(f"""\
        slug: {SLUG}
        title: 试题分析课程
        pass_mark: 60
        modules:
          - 01-quiz.md
        """), encoding="utf-8")
    front = {"slug": "quiz", "title": "测验", "minutes": 1,
             "quiz": {"multiple_choice_scoring": "half"}}
    (folder / "01-quiz.md").write_text(
        f"---\n{yaml.safe_dump(front, allow_unicode=True)}---\n正文。\n\n```quiz\n"
        f"{yaml.safe_dump(QUESTIONS, allow_unicode=True, sort_keys=False)}```\n",
        encoding="utf-8")


def _values(attempt, marks: list[int]) -> dict[str, list[str]]:
    """Answers earning ``marks``, read from the attempt's own (shuffled) matching question."""
    answer = attempt.questions[4]["answer"]
    pairs = [str(k if marks[4] else (k + 1) % len(answer["matches"])) for k in answer["key"]]
    return {"q1": ["0" if marks[0] else "1"], "q2": ["true"], "q3": ["0" if marks[2] else "1"],
            "q4": {2: ["0", "1"], 1: ["0"], 0: ["2"]}[marks[3]], "q5": pairs}


def analysis_world(live_server, tmp_path_factory) -> tuple[str, str]:
    """The course above, answered by six trainees; returns its author's sign-in."""
    if id(live_server) in _built:
        return _built[id(live_server)]
    from lms.models import User
    from lms.services import catalog, quizzes
    from lms.unit_of_work import unit_of_work

    app = live_server.app
    folder = tmp_path_factory.mktemp("analysis-courses")
    _write_course(folder / SLUG)
    assert app.test_cli_runner().invoke(
        args=["lms", "load-courses", str(folder)]).exit_code == 0
    author = create_staff(live_server, "trainer", "试题分析的作者")
    assert app.test_cli_runner().invoke(
        args=["lms", "grant", author[0], "--course-author", SLUG]).exit_code == 0
    registry = app.extensions["lms"].question_types
    for number, marks in enumerate(MARKS):
        username, _ = live_server.create_trainee(f"analysis-trainee{number}")
        with app.app_context():
            db = app.extensions["lms"].session()
            trainee = db.query(User).filter_by(username=username).one()
            _, module = catalog.get_course_and_module(db, SLUG, "quiz")
            with unit_of_work(db):
                attempt = quizzes.start_or_resume(db, registry, trainee, module)
            quizzes.submit_attempt(db, registry, trainee, attempt.id, _values(attempt, marks))
    _built[id(live_server)] = author
    return author


@pytest.mark.parametrize("width,height", [(375, 740), (1280, 800)])
def test_item_analysis_fits_the_screen_and_shows_flagged_questions_first(
        new_page, live_server, live_config, tmp_path_factory, axe, width, height):  # noqa: F811
    author = analysis_world(live_server, tmp_path_factory)
    live_config(LMS_ITEM_ANALYSIS_MIN_RESPONSES=len(MARKS))
    page = new_page(width, height)
    sign_in(page, live_server.url, *author)
    page.goto(f"{live_server.url}{PAGE}")

    cards = page.locator("li.review-item")
    expect(cards).to_have_count(len(QUESTIONS))
    expect(cards.nth(0).locator(".badge-review")).to_have_text("需复查")
    expect(cards.nth(0).locator(".q-number")).to_have_text("2.")
    expect(cards.nth(1).locator(".q-number")).to_have_text("3.")
    expect(cards.nth(2).locator(".badge-review")).to_have_count(0)
    first = cards.nth(2)
    expect(first.locator("tr.is-key th")).to_have_text("A ✓ 正确答案")
    # Each figure has a bar a person can see, as wide as its value.
    bar = first.locator("meter.figure-bar").first
    expect(bar).to_be_visible()
    assert bar.bounding_box()["width"] >= 48
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert wider_than_screen(page) == []
    assert blocking_violations(page, axe) == []
