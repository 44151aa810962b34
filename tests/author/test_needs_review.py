"""A new version that rewords a cited passage puts the question on the authors' "needs
review" list, warns before and on publishing, and changes no grade already given."""

from __future__ import annotations

import html
import re

from sqlalchemy import func, select

from lms.models import Course, CourseVersion, QuizAttempt
from tests.conftest import csrf_token, load_course_folder, post_form, submit_quiz
from tests.conftest import write_course_folder as write_folder

PASSAGE = "支部书记是党建工作的核心力量和推动者。"
REWORDED = "支部书记是党建工作的带头人。"
OTHER = "党员活动阵地是党员学习交流的平台。"
SLUG = "cite-review"


def modules(text: str, cite: str = PASSAGE) -> list[dict]:
    return [{"slug": "m", "text": text, "questions": [
        {"id": "q-cited", "type": "true_false", "prompt": "支部书记是党建工作的核心力量。",
         "answer": "对", "explanation": "见原文。", "cite": cite},
        {"id": "q-kept", "type": "true_false", "prompt": "阵地是学习交流的平台。",
         "answer": "对", "cite": OTHER}]}]


def review_section(page: str) -> str:
    found = re.search(rf'<details class="needs-review" id="needs-review-{SLUG}">(.*?)</details>',
                      page, re.S)
    return found.group(1) if found else ""


def republish(app, made, text: str, cite: str = PASSAGE) -> None:
    write_folder(made.folder, slug=SLUG, title=made.title, modules=modules(text, cite))
    load_course_folder(app, made.folder)


def frozen(attempt: QuizAttempt) -> tuple:
    return (attempt.questions, attempt.answers, attempt.results, attempt.earned,
            attempt.score, attempt.passed, attempt.status, attempt.course_version_id)


def test_a_reworded_passage_lists_its_question_until_a_later_version_fixes_it(
        app, client, login_as, grant, make_course, db):
    made = make_course(modules(f"{PASSAGE}\n\n{OTHER}"), slug=SLUG)
    learner = login_as()
    assert submit_quiz(client, made.modules[0].quiz_url,
                       {"q1": "true", "q2": "true"}).status_code == 303
    attempt = db.scalar(select(QuizAttempt).where(QuizAttempt.user_id == learner.id))
    before = frozen(attempt)
    assert attempt.passed and attempt.questions[0]["cite"] == PASSAGE
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    grant(login_as("trainer"), course=SLUG)
    assert review_section(client.get("/author/").get_data(as_text=True)) == ""

    republish(app, made, f"{REWORDED}\n\n{OTHER}")
    listed = review_section(client.get("/author/").get_data(as_text=True))
    assert "q-cited" in listed and PASSAGE in listed and "q-kept" not in listed
    db.expire_all()
    assert frozen(db.get(QuizAttempt, attempt.id)) == before  # no past grade changes

    republish(app, made, f"{REWORDED}\n\n{OTHER}", cite=REWORDED)  # the cite follows the text
    assert review_section(client.get("/author/").get_data(as_text=True)) == ""
    db.expire_all()
    assert frozen(db.get(QuizAttempt, attempt.id)) == before


def test_only_the_courses_authors_see_the_list(app, client, login_as, make_course):
    made = make_course(modules(f"{PASSAGE}\n\n{OTHER}"), slug=SLUG)
    republish(app, made, f"{REWORDED}\n\n{OTHER}")
    login_as("trainer")  # teaches published courses, authors none
    page = client.get("/author/").get_data(as_text=True)
    assert made.title in page and review_section(page) == ""


def versions(db) -> int:
    return db.scalar(select(func.count()).select_from(CourseVersion).join(
        Course, Course.id == CourseVersion.course_id).where(Course.slug == SLUG))


def edit_module(client, url: str, change) -> None:
    name = re.search(r'/draft/files/(\d\d-m\.md)"', client.get(url).get_data(as_text=True))
    page = client.get(f"{url}/files/{name.group(1)}").get_data(as_text=True)
    text = html.unescape(re.search(r'<textarea id="text"[^>]*>(.*?)</textarea>', page,
                                   re.S).group(1))
    revision = re.search(r'name="revision"[^>]*value="(\d+)"', page).group(1)
    saved = post_form(client, f"{url}/files/{name.group(1)}",
                      {"text": change(text), "revision": revision})
    assert saved.status_code == 303, saved.get_data(as_text=True)[:500]


def test_the_draft_warns_before_publishing_and_publishing_warns_again(
        client, login_as, grant, make_course, db):
    make_course(modules(f"{PASSAGE}\n\n{OTHER}"), slug=SLUG)
    grant(login_as("trainer"), course=SLUG)
    url = f"/author/courses/{SLUG}/draft"
    assert post_form(client, f"{url}/start", {}, token_from=url).status_code == 303
    edit_module(client, url, lambda text: text.replace(PASSAGE, REWORDED, 1))
    page = client.get(url).get_data(as_text=True)
    warnings = re.search(r'<ul class="problems warnings">(.*?)</ul>', page, re.S).group(1)
    assert "01-m.md:" in warnings and "第 1 题（q-cited）：cite：所引原文不在本单元正文中" in warnings
    assert "q-kept" not in warnings
    assert 'class="problems"' not in page  # a warning, not a problem: publishing is allowed
    before = versions(db)
    done = post_form(client, f"{url}/publish", {"confirm_publish": "y"}, token_from=url)
    assert done.status_code == 303
    index = client.get(done.location).get_data(as_text=True)
    assert "flash-warning" in index and "q-cited" in review_section(index)
    assert versions(db) == before + 1

    assert post_form(client, f"{url}/start", {}, token_from=url).status_code == 303
    edit_module(client, url, lambda text: text.replace(f"cite: {PASSAGE}", f"cite: {REWORDED}"))
    assert 'class="problems warnings"' not in client.get(url).get_data(as_text=True)
    done = post_form(client, f"{url}/publish", {"confirm_publish": "y"}, token_from=url)
    index = client.get(done.location).get_data(as_text=True)
    assert "flash-warning" not in index and review_section(index) == ""


def test_load_courses_warns_and_loads(runner, tmp_path, db):
    folder = tmp_path / SLUG
    write_folder(folder, slug=SLUG, title="引用课", modules=modules(OTHER))
    result = runner.invoke(args=["lms", "load-courses", str(folder)])
    assert result.exit_code == 0, result.output
    assert f"警告：{folder / '01-m.md'}:" in result.output
    assert "第 1 题（q-cited）：cite：所引原文不在本单元正文中，此题需要复核" in result.output
    assert "q-kept" not in result.output
    assert db.scalar(select(func.count()).select_from(Course).where(Course.slug == SLUG)) == 1
