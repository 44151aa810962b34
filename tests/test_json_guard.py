"""JSON bodies are bounded before they are parsed: a hostile body is refused with a JSON
error (400, 413 or 415), never a 500, and what the pages really send still works."""

from __future__ import annotations

import json
import re

import pytest

from lms.json_guard import MAX_DEPTH, nesting
from lms.models import QuizAttempt
from tests.conftest import csrf_token

QUIZ = "/courses/assess/modules/written/quiz"
BEAT = "/courses/assess/modules/written/beat"


@pytest.fixture
def draft_url(client, login_as) -> str:
    login_as("trainee")
    page = client.get(QUIZ).get_data(as_text=True)
    attempt = re.search(r'data-attempt="(\d+)"', page).group(1)
    return f"/attempts/{attempt}/draft"


def post_json(client, url: str, body: str | bytes):
    return client.post(url, data=body, content_type="application/json",
                       headers={"X-CSRFToken": csrf_token(client, "/")})


@pytest.mark.parametrize("body", ["[" * 100_000, "{" * 100_000, '{"answers": ' * 50_000,
                                  "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)])
def test_deep_json_is_refused_by_the_autosave_and_the_heartbeat(client, draft_url, body):
    for url in (draft_url, BEAT):
        response = post_json(client, url, body)
        assert response.status_code == 400, url
        assert response.get_json() == {"error": "BadRequest",
                                       "message": f"JSON nested deeper than {MAX_DEPTH}"}


def test_what_the_quiz_page_sends_is_still_saved_brackets_inside_answers_included(
        client, db, draft_url):
    answer = "[" * 4000 + '{"\\' + "]" * 10  # typed text, not nesting
    response = post_json(client, draft_url, json.dumps({"answers": {"q1": [answer]}}))
    assert response.status_code == 200, response.get_json()
    attempt_id = int(draft_url.split("/")[2])
    assert db.get(QuizAttempt, attempt_id).draft["q1"] == [answer]


@pytest.mark.parametrize("body, status, error", [
    (" " * (1024 * 1024 + 1), 413, "PayloadTooLarge"),
    (b'{"answers": {"q1": ["\xff"]}}', 400, "BadRequest"),
    ('{"answers": {"q1": NaN}}', 400, "BadRequest"),
    ('{"answers": {"q1": [' + "9" * 5000 + "]}}", 400, "BadRequest"),
])
def test_oversized_non_utf8_and_non_json_bodies_are_refused(client, draft_url, body, status,
                                                            error):
    response = post_json(client, draft_url, body)
    assert response.status_code == status and response.get_json()["error"] == error


@pytest.mark.parametrize("body", ["[" * 100_000, "[1, 2]", '"text"', '{"display_name": [1]}'])
def test_a_form_address_refuses_json_instead_of_parsing_it_as_the_form(client, login_as,
                                                                       body):
    """Flask-WTF would read a JSON body as the form's fields: 100 000 brackets recursed, a
    list is no form at all, and a number where text belongs broke the field's filters."""
    login_as("trainee")
    response = post_json(client, "/account", body)
    assert response.status_code == 415
    assert response.get_json()["error"] == "UnsupportedMediaType"
    assert client.get("/account").status_code == 200  # still signed in, nothing changed


def test_nesting_is_counted_outside_strings():
    assert nesting('{"a": [[1], {"b": "]]]]"}]}') == 3
    assert nesting('["\\"[[[[", ["x"]]') == 2
    assert nesting("[" * 10_000) == MAX_DEPTH + 1  # stops counting once past the limit


def test_a_background_call_gets_its_error_as_json_without_asking_for_it(client, login_as):
    """The page's scripts send JSON; an error they meet (a course gone since the page was
    opened) answers in JSON too, whatever the Accept header says."""
    login_as("trainee")
    response = client.post("/courses/no-such-course/modules/gone/beat",
                           json={"tab": "t1", "seq": 1},
                           headers={"X-CSRFToken": csrf_token(client, "/")})
    assert response.status_code == 404
    assert response.is_json and response.get_json()["error"] == 404
