"""长辈模式 (large text mode): each person switches it and it stays switched, here and elsewhere."""

from __future__ import annotations

from sqlalchemy import select

from lms.models import User
from tests.conftest import post_form, sign_in

LARGE = 'class="large-text"'


def toggle(client, on: bool, page: str = "/"):
    return post_form(client, "/display", {"large_text": "1" if on else "0", "next": page},
                     token_from=page)


def test_a_person_turns_it_on_and_finds_it_on_another_device(app, client, make_user, db):
    user, password = make_user()
    sign_in(client, user.username, password)
    page = client.get("/").get_data(as_text=True)
    assert LARGE not in page and 'aria-pressed="false"' in page

    response = toggle(client, True)
    assert response.status_code == 302 and response.location == "/"
    page = client.get("/").get_data(as_text=True)
    assert LARGE in page and 'aria-pressed="true"' in page
    assert db.scalar(select(User.large_text).where(User.id == user.id)) is True

    elsewhere = app.test_client()  # no cookie of this device
    assert LARGE not in elsewhere.get("/login").get_data(as_text=True)
    sign_in(elsewhere, user.username, password)
    assert LARGE in elsewhere.get("/").get_data(as_text=True)

    toggle(elsewhere, False)
    assert LARGE not in elsewhere.get("/").get_data(as_text=True)
    assert db.scalar(select(User.large_text).where(User.id == user.id)) is False


def test_the_sign_in_page_remembers_it_on_the_device(client):
    toggle(client, True, page="/login")
    assert client.get_cookie("lms_large_text").value == "1"
    assert LARGE in client.get("/login").get_data(as_text=True)
    toggle(client, False, page="/login")
    assert LARGE not in client.get("/login").get_data(as_text=True)


def test_without_a_valid_form_nothing_changes(client, login_as, db):
    user = login_as()
    client.get("/")
    assert client.post("/display", data={"large_text": "1", "next": "/"}).status_code == 302
    assert post_form(client, "/display", {"large_text": "yes", "next": "//evil.example/"},
                     token_from="/").location == "/"
    assert LARGE not in client.get("/").get_data(as_text=True)
    assert client.get_cookie("lms_large_text") is None
    assert db.scalar(select(User.large_text).where(User.id == user.id)) is False
