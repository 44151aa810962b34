"""The module page's heartbeat over HTTP: who may send it, what it must hold, what it keeps."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.models import ModuleProgress, StudyBeat
from tests.conftest import csrf_token


@pytest.fixture
def module_url(make_course):
    return make_course([{"minutes": 10, "text": "学习内容。\n\n" * 50}]).modules[0].url


def send(client, url, body, token=None):
    token = token if token is not None else csrf_token(client, url)
    return client.post(url + "/beat", json=body, headers={"X-CSRFToken": token})


def test_beats_start_the_clock_keep_the_place_and_the_page_shows_both(client, login_as, db,
                                                                       module_url):
    user = login_as("trainee")
    page = client.get(module_url).get_data(as_text=True)
    assert 'data-study-beat="' + module_url + '/beat"' in page and "study.js" in page
    first = send(client, module_url, {"tab": "t1", "seq": 1, "position": 0.4})
    assert first.status_code == 200
    assert first.get_json() == {"credited": 0, "seconds_active": 0, "ignored": None}
    again = send(client, module_url, {"tab": "t1", "seq": 1})
    assert again.get_json()["ignored"] == "repeated"
    assert db.scalar(select(ModuleProgress.read_position).where(
        ModuleProgress.user_id == user.id)) == 0.4
    assert len(db.scalars(select(StudyBeat).where(StudyBeat.user_id == user.id)).all()) == 1
    assert 'data-position="0.4"' in client.get(module_url).get_data(as_text=True)


@pytest.mark.parametrize("body", [
    {}, {"tab": "", "seq": 1}, {"tab": "a" * 33, "seq": 1}, {"tab": "a/b", "seq": 1},
    {"tab": "t", "seq": 0}, {"tab": "t", "seq": True}, {"tab": "t", "seq": 2**31},
    {"tab": "t", "seq": "1"}, {"tab": "t", "seq": 1, "position": 1.5},
    {"tab": "t", "seq": 1, "position": "top"}, {"tab": "t", "seq": 1, "sent_at": -1},
    {"tab": "t", "seq": 1, "sent_at": 1e300}, [1, 2], "beat",
])
def test_a_malformed_beat_is_refused_and_records_nothing(client, login_as, db, module_url,
                                                         body):
    login_as("trainee")
    response = send(client, module_url, body)
    assert response.status_code == 400 and response.get_json()["error"] == "BadRequest"
    assert db.scalar(select(StudyBeat.id)) is None


def test_a_beat_needs_the_csrf_token_and_a_signed_in_person(client, login_as, module_url):
    assert send(client, module_url, {"tab": "t", "seq": 1}, token="").status_code == 401
    login_as("trainee")
    refused = send(client, module_url, {"tab": "t", "seq": 1}, token="forged")
    assert refused.status_code == 400 and refused.get_json()["error"] == "CSRFError"


def test_a_module_of_another_course_or_none_credits_nothing(client, login_as, db, module_url):
    login_as("trainee")
    missing = send(client, module_url.rsplit("/", 1)[0] + "/nope", {"tab": "t", "seq": 1},
                   token=csrf_token(client, module_url))
    assert missing.status_code == 404
    assert db.scalar(select(StudyBeat.id)) is None
