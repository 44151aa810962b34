"""A closed module over HTTP: its page, quiz and heartbeats answer 403 saying what opens it;
the course page marks it and states the course's rules."""

from __future__ import annotations

import json

from tests.learn.test_completion_rules import QUESTION, in_english


def test_a_closed_module_says_what_opens_it_and_opens_after(client, login_as, make_course):
    made = make_course([{"title": "第一节"}, {"title": "第二节"}], rules={"sequential": True})
    login_as()
    second = made.modules[1]
    refused = client.get(second.url)
    assert refused.status_code == 403
    page = refused.get_data(as_text=True)
    assert "本节尚未开放" in page and "完成“第一节”后开放" in page
    assert client.get(second.quiz_url).status_code == 403
    beat = client.post(second.url + "/beat", data=json.dumps({"tab": "t1", "seq": 1}),
                       content_type="application/json",
                       headers={"X-CSRFToken": _token(client, made.url)})
    assert beat.status_code == 403 and beat.get_json()["credited"] == 0
    course_page = client.get(made.url).get_data(as_text=True)
    assert "未开放" in course_page and "按顺序学习" in course_page
    assert client.get(made.modules[0].url).status_code == 200  # reading it completes it
    assert client.get(second.url).status_code == 200


def test_prerequisites_are_named_with_links(client, login_as, make_course):
    make_course([{}], slug="basics", title="党章基础")
    made = make_course([{}], rules={"prerequisites": ["basics"]})
    login_as()
    in_english(client)
    page = client.get(made.url).get_data(as_text=True)
    assert "Complete these courses first" in page and 'href="/courses/basics"' in page
    assert client.get(made.modules[0].url).status_code == 403


def test_the_course_page_shows_the_hours_asked_and_earned(client, login_as, make_course):
    made = make_course([{"questions": [QUESTION]}], rules={"min_hours": 2, "final_exam": "m1"})
    login_as()
    page = client.get(made.url).get_data(as_text=True)
    assert "须至少获得 2 学时（目前 0 学时）" in page
    assert "结业考试" in page


def _token(client, path: str) -> str:
    from tests.conftest import csrf_token
    return csrf_token(client, path)
