"""A database that does not answer gets a calm 503 in the UI's language, and no traceback."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import create_engine

from tests.conftest import csrf_token

COURSE = "/courses/jiceng-dangjian"


@contextmanager
def database_down(app, tmp_path):
    """Point new sessions at a database that cannot be opened (a stopped server), then back."""
    state = app.extensions["lms"]
    working = state.sessionmaker.kw["bind"]
    state.bind(create_engine(f"sqlite:///{tmp_path / 'no-such-folder' / 'lms.sqlite3'}"))
    try:
        yield
    finally:
        state.bind(working)


def test_pages_say_try_again_later_while_the_database_is_down(app, client, login_as, tmp_path):
    login_as()
    token = csrf_token(client, "/")
    with database_down(app, tmp_path):
        page = client.get(COURSE)
        beat = client.post(f"{COURSE}/modules/overview/beat", json={"tab": "t1", "seq": 1},
                           headers={"X-CSRFToken": token, "Accept": "application/json"})
    text = page.get_data(as_text=True)
    assert page.status_code == 503 and page.headers["Retry-After"] == "10"
    assert 'data-reason="database-unavailable"' in text and '<html lang="zh-CN">' in text
    assert "Traceback" not in text and "sqlite" not in text.lower()
    assert beat.status_code == 503 and beat.get_json()["retry_after"] == 10
    assert client.get(COURSE).status_code == 200  # back by itself once the database answers


def test_the_page_is_in_the_language_the_person_chose(app, client, login_as, tmp_path):
    login_as()
    with client.session_transaction() as session:
        session["lms_locale"] = "en"
    with database_down(app, tmp_path):
        response = client.get(COURSE)
    text = response.get_data(as_text=True)
    assert response.status_code == 503
    assert '<html lang="en">' in text and "The system is busy for a moment" in text
