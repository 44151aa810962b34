"""The trainer's quiz page counts the current wording of a question, or every wording."""

from __future__ import annotations

import re

from tests.conftest import load_course_folder, sign_in, submit_quiz

QUESTION = {"id": "tf", "type": "true_false", "prompt": "“三会一课”包括党课。", "answer": "正确"}


def answer(app, make_user, quiz_url: str, value: str) -> None:
    trainee, password = make_user()
    browser = app.test_client()
    sign_in(browser, trainee.username, password)
    assert submit_quiz(browser, quiz_url, {"q1": value}).status_code in (302, 303)


def responses(page: str) -> str:
    return re.search(r"<dt>作答次数</dt><dd>(?:<span class=\"figure-value\">)?(\d+)", page).group(1)


def test_a_reworded_question_shows_its_new_revision_alone_or_combined(
        app, client, login_as, make_user, make_course):
    course = make_course([{"questions": [QUESTION]}], slug="reworded")
    quiz_url = course.modules[0].quiz_url
    answer(app, make_user, quiz_url, "false")
    path = course.folder / "01-m1.md"
    path.write_text(path.read_text("utf-8").replace("包括党课", "包括讲党课"), "utf-8")
    load_course_folder(app, course.folder)
    answer(app, make_user, quiz_url, "true")

    login_as("trainer")
    page_url = "/author/courses/reworded/modules/m1/quiz"
    current = client.get(page_url).get_data(as_text=True)
    assert "“三会一课”包括讲党课。" in current and "第2版" in current
    assert responses(current) == "1" and "只统计每道题当前版本的作答" in current
    combined = client.get(page_url + "?combine=1").get_data(as_text=True)
    assert responses(combined) == "2" and "已合并统计每道题各个版本的作答" in combined
    assert "0.50" in combined
    csv = client.get(page_url + "/analysis.csv?combine=1").data.decode("utf-8-sig")
    assert "“三会一课”包括讲党课。,true_false,2,0.50" in csv
