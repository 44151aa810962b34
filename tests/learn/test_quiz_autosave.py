"""The quiz page's autosave (POST /attempts/<id>/draft): what it keeps, and what it refuses
with a JSON error while keeping the answers saved before."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from lms.db import utcnow
from lms.models import QuizAttempt
from tests.conftest import csrf_token, sign_in

TIMED = "/courses/assess/modules/timed/quiz"


def open_attempt(client, quiz_url: str = TIMED) -> int:
    page = client.get(quiz_url).get_data(as_text=True)
    return int(re.search(r'data-attempt="(\d+)"', page).group(1))


def save(client, attempt_id: int, answers):
    return client.post(f"/attempts/{attempt_id}/draft", json={"answers": answers},
                       headers={"X-CSRFToken": csrf_token(client, "/")})


def kept_draft(db, attempt_id: int) -> dict:
    db.expire_all()
    return db.get(QuizAttempt, attempt_id).draft


def test_answers_are_kept_and_the_reopened_quiz_shows_them(client, login_as, db):
    login_as("trainee")
    attempt_id = open_attempt(client)
    response = save(client, attempt_id, {"q1": "2", "q2": ["1"], "q9": ["not asked"]})
    assert response.status_code == 200
    saved_at = response.get_json()["saved_at"]
    assert set(kept_draft(db, attempt_id)) == {"q1", "q2"}  # a field not asked is dropped
    assert kept_draft(db, attempt_id)["q1"] == ["2"]  # one value becomes a list
    assert db.get(QuizAttempt, attempt_id).draft_saved_at == datetime.fromisoformat(saved_at)
    page = client.get(TIMED).get_data(as_text=True)
    assert re.search(r'name="q1" value="2" checked', page)


def test_a_bad_answer_is_refused_and_the_earlier_save_stays(client, login_as, db):
    login_as("trainee")
    attempt_id = open_attempt(client)
    assert save(client, attempt_id, {"q1": ["A"]}).status_code == 200
    response = save(client, attempt_id, {"q1": ["x" * 5001]})
    assert response.status_code == 400
    assert response.get_json()["error"] == "InvalidInput"
    assert kept_draft(db, attempt_id)["q1"] == ["A"]


def test_someone_elses_attempt_is_not_found_and_not_touched(app, client, login_as, db,
                                                            make_user):
    login_as("trainee")
    attempt_id = open_attempt(client)
    assert save(client, attempt_id, {"q1": ["A"]}).status_code == 200
    other, password = make_user("trainee")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert sign_in(client, other.username, password).status_code == 302
    response = save(client, attempt_id, {"q1": ["B"]})
    assert response.status_code == 404 and response.get_json()["error"] == "NotFound"
    assert kept_draft(db, attempt_id)["q1"] == ["A"]


def test_a_submitted_attempt_is_closed_to_saves(client, login_as, db):
    login_as("trainee")
    attempt_id = open_attempt(client)
    db.execute(update(QuizAttempt).where(QuizAttempt.id == attempt_id)
               .values(status="graded", draft={"q1": ["kept"]}))
    db.commit()
    response = save(client, attempt_id, {"q1": ["B"]})
    assert response.status_code == 409 and response.get_json()["error"] == "AttemptClosed"
    assert kept_draft(db, attempt_id) == {"q1": ["kept"]}


@pytest.mark.parametrize("late_by, status", [(timedelta(minutes=5), 409),
                                              (timedelta(seconds=10), 200),  # within the grace
                                              (timedelta(seconds=-60), 200)])
def test_after_the_time_limit_and_its_grace_nothing_more_is_saved(client, login_as, db,
                                                                  late_by, status):
    login_as("trainee")
    attempt_id = open_attempt(client)
    db.execute(update(QuizAttempt).where(QuizAttempt.id == attempt_id)
               .values(deadline_at=utcnow() - late_by))
    db.commit()
    response = save(client, attempt_id, {"q1": ["A"]})
    assert response.status_code == status, response.get_json()
    assert kept_draft(db, attempt_id).get("q1") == (["A"] if status == 200 else None)
