"""The data behind ``scripts/screenshots.py``: every page type with something to show.

`flask lms demo-data` (300 trainees, seed 1) and an admin's first weeks (screenshots_admin.py)
fill the admin room and the item analysis. On top, through the pages as people use them: a
trainee, 张三, fails and then passes the first quiz of the seed course and passes two more,
and hands in a short answer in a small second course (学习体会交流) that a trainer grades
with a comment, which completes that course and issues its certificate; a second trainee's
short answer waits in the grading queue; the trainer has started a draft of that course.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import screenshots_admin
import yaml

from lms import create_app, migrate

ROOT = Path(__file__).resolve().parent.parent
COURSE = "jiceng-dangjian"
COURSE_DIR = ROOT / "courses" / COURSE
ESSAY_COURSE, ESSAY_FILE = "xuexi-tihui", "01-tihui.md"
GIFT = ROOT / "tests" / "data" / "gift" / "moodle-examples.txt"
PASSWORD = "password123"
UNIT = "机关党委/第一党支部"
TRUE_WORDS = {"正确", "对", "是", "√", "true", "t", "yes"}
ESSAY = ("作为支部书记，我体会最深的是“三会一课”要开出质量：会前把议题和学习材料发到每位党员手里，"
         "会上留足讨论时间，会后把党员提出的问题逐条落实并在下次会上通报。")
COMMENT = "体会具体，结合了本支部实际。建议再补充一条如何检查落实情况的做法。"


@dataclass
class World:
    """What the page list needs, found once while the data are made."""

    admin: screenshots_admin.World
    accounts: dict[str, tuple[str, str]]
    course: str
    first_module: str
    current_module: str
    passed_attempt: str       # path of the trainee's passing attempt
    graded_attempt: str       # path of the short answer a trainer graded
    waiting_attempt_id: int   # another trainee's short answer, waiting
    certificate_code: str
    essay_course: str = ESSAY_COURSE
    essay_file: str = ESSAY_FILE


def _essay_course(folder: Path) -> None:
    """A one-section course with a short answer, completed when its quiz passes."""
    folder.mkdir()
    (folder / "course.yml").write_text(textwrap.dedent(f"""\
        slug: {ESSAY_COURSE}
        title: 学习体会交流
        description: 学完“基层党建工作创新与队伍建设”后，结合本支部实际写下学习体会，由培训讲师批阅。
        audience: 全体党员
        pass_mark: 60
        modules:
          - {ESSAY_FILE}
        rules:
          certificate: completed
        """), encoding="utf-8")
    (folder / ESSAY_FILE).write_text(textwrap.dedent("""\
        ---
        slug: tihui
        title: 谈谈你的学习体会
        minutes: 5
        ---

        请回顾本期课程的内容，联系本支部在“三会一课”、党员教育和阵地建设方面的实际，写下一条最深的体会。

        ```quiz
        - id: tihui-1
          type: single_choice
          prompt: “三会一课”中的“一课”指的是什么？
          options:
            - 党课
            - 业务培训课
            - 形势政策报告会
          answer: A
        - id: tihui-2
          type: short_answer
          prompt: 结合本支部实际，谈谈你学习本课程最深的一条体会（不少于50字）。
          answer: 联系实际，说清做法和效果。
        ```
        """), encoding="utf-8")


def new_app(folder: Path):
    courses = folder / "courses"
    shutil.copytree(COURSE_DIR, courses / COURSE)
    _essay_course(courses / ESSAY_COURSE)
    app = create_app({"LMS_DATABASE_URL": f"sqlite:///{folder / 'lms.sqlite3'}",
                      "SECRET_KEY": "screenshots", "LMS_COURSES_DIR": str(courses)})
    app.instance_path = str(folder)
    migrate.upgrade(app.extensions["lms"].engine)
    return app


def _cli(runner, *args: str, stdin: str | None = None) -> None:
    result = runner.invoke(args=["lms", *args], input=stdin)
    assert result.exit_code == 0, result.output


def seed_modules() -> list[tuple[str, list[dict]]]:
    """(module slug, quiz questions) in course order, read from the course files."""
    course = yaml.safe_load((COURSE_DIR / "course.yml").read_text(encoding="utf-8"))
    modules = []
    for name in course["modules"]:
        text = (COURSE_DIR / name).read_text(encoding="utf-8")
        front = yaml.safe_load(text.split("---", 2)[1])
        block = re.search(r"^```quiz[ \t]*\n(.*?)^```", text, re.DOTALL | re.MULTILINE)
        modules.append((front["slug"], yaml.safe_load(block.group(1)) if block else []))
    return modules


def answer(page, number: int, question: dict, right: bool = True) -> None:
    """Fill one seed question, correctly or (``right=False``) wrongly."""
    field, kind, key = f"q{number}", question["type"], question["answer"]
    if kind in ("single_choice", "multiple_choice"):
        picked = [ord(c) - 65 for c in re.sub(r"[\s,，、]", "", key.upper())]
        if not right:
            others = [i for i in range(len(question["options"])) if i not in picked]
            picked = others[:1] if kind == "single_choice" else picked[:1]
        for index in picked:
            page.check(f'input[name="{field}"][value="{index}"]')
    elif kind == "true_false":
        truth = str(key).strip().lower() in TRUE_WORDS
        page.check(f'input[name="{field}"][value="{"true" if truth == right else "false"}"]')
    else:
        entries = key if isinstance(key, list) else [key]
        for index, entry in enumerate(entries):
            accepted = entry if isinstance(entry, list) else re.split(r"[|;；]", str(entry))
            text = str(accepted[0]).strip() if right else "不知道"
            page.locator(f'input[name="{field}"]').nth(index).fill(text)


def submit(page) -> None:
    with page.expect_navigation():
        page.click('main form button[type="submit"]')


def sign_in(page, base: str, account: tuple[str, str]) -> None:
    page.goto(f"{base}/login")
    page.fill('input[name="username"]', account[0])
    page.fill('input[name="password"]', account[1])
    submit(page)


def _take_quiz(page, base: str, slug: str, questions: list[dict], right: bool = True) -> str:
    page.goto(f"{base}/courses/{COURSE}/modules/{slug}/quiz")
    for number, question in enumerate(questions, start=1):
        answer(page, number, question, right)
    submit(page)
    return page.url.removeprefix(base)


def _hand_in_essay(page, base: str) -> str:
    page.goto(f"{base}/courses/{ESSAY_COURSE}/modules/tihui/quiz")
    page.check('input[name="q1"][value="0"]')
    page.fill('[name="q2"]', ESSAY)
    submit(page)
    return page.url.removeprefix(base)


def make_world(app, browser, base: str) -> World:
    """The data set, then the people's own steps through the pages (at 1280 px)."""
    runner = app.test_cli_runner()
    _cli(runner, "load-courses")
    admin = screenshots_admin.make_data(app, runner, COURSE, PASSWORD)
    accounts = {"admin": (screenshots_admin.ADMIN, PASSWORD), "trainee": ("zhangsan", PASSWORD),
                "other": ("lisi", PASSWORD), "trainer": ("lijiangshi", PASSWORD)}
    for key, name in (("trainee", "张三"), ("other", "李四")):
        _cli(runner, "create-user", accounts[key][0], "--role", "trainee", "--unit", UNIT,
             "--name", name, "--password-stdin", stdin=f"{PASSWORD}\n")
    _cli(runner, "create-user", accounts["trainer"][0], "--role", "trainer", "--name", "李讲师",
         "--password-stdin", stdin=f"{PASSWORD}\n")
    for slug in (COURSE, ESSAY_COURSE):
        _cli(runner, "grant", accounts["trainer"][0], "--course-author", slug)

    modules = seed_modules()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    sign_in(page, base, accounts["trainee"])
    _take_quiz(page, base, *modules[0], right=False)
    passed = _take_quiz(page, base, *modules[0])
    for slug, questions in modules[1:3]:
        _take_quiz(page, base, slug, questions)
    page.goto(f"{base}/courses/{COURSE}/modules/{modules[3][0]}")  # now reading this one
    graded = _hand_in_essay(page, base)
    context.clear_cookies()
    sign_in(page, base, accounts["other"])
    waiting = _hand_in_essay(page, base)
    context.clear_cookies()
    sign_in(page, base, accounts["trainer"])
    page.goto(f"{base}/author/grading/{graded.rsplit('/', 1)[1]}")
    score = page.locator('input[name^="score"]').first
    label = page.locator(f'label[for="{score.get_attribute("id")}"]').inner_text()
    score.fill(re.findall(r"\d+(?:\.\d+)?", label)[-1])  # full marks: "分数（0–5）"
    page.locator('[name^="comment"]').first.fill(COMMENT)
    with page.expect_navigation():
        score.evaluate("el => el.form.requestSubmit()")
    page.goto(f"{base}/author/courses/{ESSAY_COURSE}/draft")
    with page.expect_navigation():
        page.click("form[action$='/draft/start'] button[type=submit]")
    context.clear_cookies()
    sign_in(page, base, accounts["trainee"])
    page.goto(f"{base}/certificates")
    code = page.locator('a[href*="/verify/"]').first.get_attribute("href").rsplit("/", 1)[1]
    context.close()
    return World(admin=admin, accounts=accounts, course=COURSE, first_module=modules[0][0],
                 current_module=modules[3][0], passed_attempt=passed, graded_attempt=graded,
                 waiting_attempt_id=int(waiting.rsplit("/", 1)[1]), certificate_code=code)


def upload_gift(page, base: str, world: World) -> None:
    """The trainer's question import, previewed (nothing is imported)."""
    page.goto(f"{base}/author/courses/{world.course}/modules/{world.first_module}/import")
    page.set_input_files('input[type="file"]', str(GIFT))
    submit(page)
