"""A trainee finds the grade of a short answer: a notice once a trainer graded it, every past
attempt listed on the module page, each trainer comment beside its question."""

from __future__ import annotations

import re

from tests.grading_world import (
    ESSAY_NUMBER,
    attempt_id_of,
    grade,
)

COMMENT = "联系实际较好，建议补充本支部的具体做法。"


def attempt_rows(html: str) -> list[str]:
    """The module page's list of attempts, one text per row (tags dropped)."""
    section = re.search(r'<section class="card past-attempts".*?</section>', html, re.S)
    if section is None:
        return []
    rows = re.findall(r'<a class="attempt-row" href="([^"]+)">(.*?)</a>', section.group(0), re.S)
    return [f"{href} {' '.join(re.sub(r'<[^>]+>', ' ', body).split())}" for href, body in rows]


def test_the_trainee_is_told_once_the_short_answer_is_graded(client, login_as, grading_world):
    ann = grading_world.trainee("李学员")
    url = ann.hand_in(grading_world.module)
    assert "你的简答题已批阅" not in ann.client.get("/").get_data(as_text=True)
    assert "你的简答题已批阅" not in ann.client.get("/notices").get_data(as_text=True)

    login_as("trainer", unit="批阅党委")
    assert grade(client, attempt_id_of(url), "8", COMMENT).status_code == 303

    home = ann.client.get("/").get_data(as_text=True)
    assert "1 条未读" in home and "你的简答题已批阅" in home
    assert f'href="{url}"' in home  # the home preview links straight to the graded attempt
    notices = ann.client.get("/notices").get_data(as_text=True)
    assert "《三会一课》第1次作答：90分，已及格。" in notices  # 10 + 8 of 20 points
    assert f'<a href="{url}">查看成绩和讲师评语</a>' in notices
    page = ann.client.get(url).get_data(as_text=True)
    assert COMMENT in page and "讲师已于" in page


def test_the_module_page_lists_every_attempt_with_a_link(client, login_as, grading_world):
    ann = grading_world.trainee("李学员")
    module_url = grading_world.module.url
    first = ann.hand_in(grading_world.module, essay="第一次的回答。")
    second = ann.hand_in(grading_world.module, essay="第二次的回答。")
    login_as("trainer", unit="批阅党委")
    grade(client, attempt_id_of(first), "2")  # 10 + 2 of 20: 60, the pass mark

    rows = attempt_rows(ann.client.get(module_url).get_data(as_text=True))
    assert len(rows) == 2, rows
    newest, oldest = rows
    assert newest.startswith(f"{second} 第2次作答") and newest.endswith("待批阅")
    assert oldest.startswith(f"{first} 第1次作答") and oldest.endswith("60分 及格 已批阅")
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", oldest)
    for url in (first, second):
        assert ann.client.get(url).status_code == 200


def test_an_attempt_still_open_is_not_listed(grading_world):
    ann = grading_world.trainee("李学员")
    assert ann.client.get(grading_world.module.quiz_url).status_code == 200  # started
    page = ann.client.get(grading_world.module.url).get_data(as_text=True)
    assert attempt_rows(page) == [] and "我的作答记录" not in page


def test_each_comment_shows_beside_its_question(client, login_as, grading_world):
    ann = grading_world.trainee("李学员")
    url = ann.hand_in(grading_world.module)
    login_as("trainer", unit="批阅党委")
    grade(client, attempt_id_of(url), "6", COMMENT)

    page = ann.client.get(url).get_data(as_text=True)
    item = re.search(rf'<li class="card review-item [^"]*" id="question-{ESSAY_NUMBER}">(.*?)</li>',
                     page, re.S)
    assert item and "谈谈你对“三会一课”的体会" in item.group(1)
    assert f"<strong>讲师评语</strong> {COMMENT}" in item.group(1)
    assert "<strong>部分得分</strong>" in item.group(1) and "6/10" in item.group(1)
    assert page.count("讲师评语</strong>") == 1  # next to question 10 only
    assert f'<a href="#question-{ESSAY_NUMBER}">第{ESSAY_NUMBER}题</a>' in page  # the jump


def test_another_trainee_cannot_open_the_attempt(client, login_as, grading_world):
    ann = grading_world.trainee("李学员")
    url = ann.hand_in(grading_world.module, essay="只给自己看的回答。")
    login_as("trainer", unit="批阅党委")
    grade(client, attempt_id_of(url), "6", COMMENT)

    bo = grading_world.trainee("王学员")
    response = bo.client.get(url)
    assert response.status_code == 404
    assert COMMENT not in response.get_data(as_text=True)
    assert "只给自己看的回答" not in response.get_data(as_text=True)
    assert attempt_rows(bo.client.get(grading_world.module.url).get_data(as_text=True)) == []
