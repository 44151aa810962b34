"""Re-importing a question bank: known questions are skipped, updated or copied, by choice."""

from __future__ import annotations

import io
import re
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import func, select

from lms.models import Question, QuestionRevision, QuizAttempt
from tests.conftest import csrf_token, post_form, sign_in, submit_quiz

GIFT = Path(__file__).resolve().parents[1] / "data" / "gift" / "moodle-examples.txt"
QUIZ = "/author/courses/assess/modules/scoring/quiz"
IMPORT = "/author/courses/assess/modules/scoring/import"
PAYLOAD = re.compile(r'name="payload" type="hidden" value="([^"]+)"')


def bank_count(db) -> int:
    return db.scalar(select(func.count()).select_from(Question).where(Question.origin == "bank"))


def in_english(client) -> None:
    with client.session_transaction() as session:
        session["lms_locale"] = "en"


def preview(client, data: bytes, name: str, url: str = IMPORT) -> str:
    response = client.post(url, data={"csrf_token": csrf_token(client, url),
                                      "file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def confirm(client, page: str, url: str = IMPORT, **choice: str) -> str:
    """Confirm the previewed import; return the flash shown on the next page."""
    done = post_form(client, url + "/confirm",
                     {"payload": PAYLOAD.search(page).group(1), **choice}, token_from=url)
    assert done.status_code == 302
    return client.get(done.location).get_data(as_text=True)


def trainer(client, login_as, grant, course: str = "assess") -> None:
    grant(login_as("trainer"), course=course)
    in_english(client)


def new_count(page: str) -> int:
    """How many questions the preview calls new (the sample grows as types are added)."""
    return int(re.search(r"(\d+) new, 0 already in this module", page).group(1))


def test_reimporting_the_gift_sample_skips_by_default_and_says_so(client, login_as, db, grant):
    trainer(client, login_as, grant)
    first = preview(client, GIFT.read_bytes(), "moodle.gift")
    n = new_count(first)
    assert n >= 30 and "Already there</span>" not in first
    assert "<legend>" not in first  # nothing known: no choice to make
    confirm(client, first)
    assert bank_count(db) == n

    again = preview(client, GIFT.read_bytes(), "moodle.gift")
    assert f"0 new, {n} already in this module" in again
    assert again.count("Already there</span>") == n and "New</span>" not in again
    assert "<legend>Questions already in this module</legend>" in again
    assert re.search(r'<input checked id="existing-0" name="existing" type="radio" '
                     r'value="skip">', again)
    assert '<label class="option" for="existing-1">' in again
    page = confirm(client, again)  # no choice sent: the default, skip
    assert f"0 questions were added, 0 updated, {n} already there were skipped." in page
    assert bank_count(db) == n


def test_preview_shows_the_answer_key(client, login_as, grant):
    trainer(client, login_as, grant)
    page = preview(client, GIFT.read_bytes(), "moodle.gift")
    assert "Who&#39;s buried in Grant&#39;s tomb?</p>" in page
    assert "Correct answer: C</p>" in page  # ~Grant ~Jefferson =no one
    assert "Correct answer: False</p>" in page
    assert "Correct answer: no one" in page


def test_update_gives_a_new_revision_of_the_same_question(client, login_as, db, grant):
    trainer(client, login_as, grant)
    first = preview(client, GIFT.read_bytes(), "moodle.gift")
    n = new_count(first)
    confirm(client, first)
    sun = db.scalar(select(Question).where(Question.prompt == "The sun rises in the east."))
    key, revision, answer = sun.key, sun.revision, sun.answer_key

    edited = GIFT.read_text("utf-8").replace("The sun rises in the east.{T}",
                                             "The sun rises in the east.{F}")
    page = confirm(client, preview(client, edited.encode("utf-8"), "moodle.gift"),
                   existing="update")
    assert f"0 questions were added, 1 updated, {n - 1} already there were skipped." in page
    assert bank_count(db) == n
    db.expire_all()
    sun = db.scalar(select(Question).where(Question.prompt == "The sun rises in the east."))
    assert (sun.key, sun.revision) == (key, revision + 1) and sun.answer_key != answer
    assert db.scalar(select(func.count()).select_from(QuestionRevision)
                     .where(QuestionRevision.question_id == sun.id)) == 2


def test_copies_duplicate_as_before(client, login_as, db, grant):
    trainer(client, login_as, grant)
    first = preview(client, GIFT.read_bytes(), "moodle.gift")
    n = new_count(first)
    confirm(client, first)
    page = confirm(client, preview(client, GIFT.read_bytes(), "moodle.gift"), existing="copy")
    assert f"{n} questions were imported." in page
    assert bank_count(db) == 2 * n


def test_an_unknown_choice_imports_nothing(client, login_as, db, grant):
    trainer(client, login_as, grant)
    confirm(client, preview(client, GIFT.read_bytes(), "moodle.gift"), existing="merge")
    assert bank_count(db) == 0


def test_update_reaches_file_questions_and_old_attempts_keep_the_old_question(
        app, client, login_as, db, grant, make_user, make_course):
    made = make_course([{"slug": "a", "questions": [
        {"type": "true_false", "prompt": "太阳从东方升起。", "answer": "正确"}]}])
    trainee, password = make_user("trainee")
    browser = app.test_client()
    assert sign_in(browser, trainee.username, password).status_code == 302
    done = submit_quiz(browser, made.modules[0].quiz_url, {"q1": "true"})
    attempt_url = done.headers["Location"]

    trainer(client, login_as, grant, course=made.slug)
    url = f"/author/courses/{made.slug}/modules/a/import"
    page = preview(client, "太阳从东方升起。 {F}\n".encode(), "bank.gift", url)
    assert "0 new, 1 already in this module" in page
    assert "Confirm the import" in page
    flash = confirm(client, page, url, existing="update")
    assert "0 questions were added, 1 updated" in flash
    question = db.scalar(select(Question).where(Question.prompt == "太阳从东方升起。"))
    assert (question.origin, question.revision, question.answer_key) == ("file", 2, False)

    attempt = db.scalar(select(QuizAttempt).where(QuizAttempt.user_id == trainee.id))
    assert attempt.questions[0]["revision"] == 1 and attempt.questions[0]["answer"] is True
    review = browser.get(attempt_url).get_data(as_text=True)
    assert "正确答案：正确" in review and "回答正确" in review  # the key it was asked with


def excel(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["题型", "题干", "选项A", "选项B", "选项C", "选项D", "正确答案", "解析", "分值"])
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def test_excel_reimport_skips_updates_or_copies(client, login_as, db, grant):
    trainer(client, login_as, grant)
    rows = [["单选题", "支部党员大会多久召开一次？", "每季度", "每年", "", "", "A", "", 1],
            ["判断题", "党课每季度至少一次。", "", "", "", "", "正确", "", 1]]
    first = preview(client, excel(rows), "bank.xlsx")
    assert "2 new, 0 already" in first and "Correct answer: A</p>" in first
    confirm(client, first)
    assert bank_count(db) == 2

    # A half-width question mark: still the same question (normalise_prompt).
    rows[0][1] = "支部党员大会多久召开一次?"
    rows[1][6] = "错误"
    rows.append(["判断题", "新的一题。", "", "", "", "", "正确", "", 1])
    again = preview(client, excel(rows), "bank.xlsx")
    assert "1 new, 2 already in this module" in again
    assert again.count("Already there</span>") == 2 and again.count("New</span>") == 1
    assert "skipped." in confirm(client, again)
    assert bank_count(db) == 3

    # Update: the rewritten prompt and the changed answer are revisions; the unchanged
    # question is skipped.
    page = confirm(client, preview(client, excel(rows), "bank.xlsx"), existing="update")
    assert "0 questions were added, 2 updated, 1 already there were skipped." in page
    assert bank_count(db) == 3
    page = confirm(client, preview(client, excel(rows), "bank.xlsx"), existing="copy")
    assert "3 questions were imported." in page and bank_count(db) == 6
