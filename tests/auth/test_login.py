"""Signing in and out: hashed passwords, CSRF, no user enumeration, no open redirect."""

from __future__ import annotations

from sqlalchemy import select

from lms.models import User
from lms.unit_of_work import unit_of_work
from tests.conftest import csrf_token, post_form, sign_in


def test_password_is_stored_hashed(make_user, db):
    user, password = make_user()
    stored = db.scalar(select(User.password_hash).where(User.id == user.id))
    assert password not in stored and stored.startswith(("scrypt:", "pbkdf2:"))


def test_sign_in_and_out(client, make_user):
    user, password = make_user(name="王书记")
    response = sign_in(client, user.username, password)
    assert response.status_code == 302 and response.location == "/"
    assert "王书记" in client.get("/").get_data(as_text=True)
    response = post_form(client, "/logout", {}, token_from="/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_and_unknown_user_get_the_same_message(client, make_user):
    user, _ = make_user()
    wrong = sign_in(client, user.username, "not-the-password")
    unknown = sign_in(client, "nobody-here", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert "用户名或密码错误" in wrong.get_data(as_text=True)

    def body(response):
        return response.get_data(as_text=True).split("<main", 1)[1].split("</main>")[0]

    strip_token = __import__("re").compile(r'value="[^"]*"')
    assert strip_token.sub("", body(wrong)) == strip_token.sub("", body(unknown))


def test_login_without_csrf_token_is_refused(client, make_user):
    user, password = make_user()
    response = client.post("/login", data={"username": user.username, "password": password})
    assert response.status_code == 400
    assert client.get("/").status_code == 302  # still signed out


def test_logout_needs_a_post_with_csrf(client, make_user):
    user, password = make_user()
    sign_in(client, user.username, password)
    assert client.get("/logout").status_code == 405
    client.post("/logout", data={})  # no token: ignored
    assert client.get("/").status_code == 200


def test_next_parameter_cannot_leave_the_site(client, make_user):
    user, password = make_user()
    token = csrf_token(client)
    for target, expected in (("/courses/jiceng-dangjian", "/courses/jiceng-dangjian"),
                             ("https://evil.example/", "/"), ("//evil.example", "/")):
        client.get("/login")
        response = client.post("/login", data={"username": user.username, "password": password,
                                               "next": target, "csrf_token": token})
        assert response.location == expected
        post_form(client, "/logout", {}, token_from="/")
        token = csrf_token(client)


def test_deactivated_user_cannot_sign_in_and_is_signed_out(app, client, make_user, db):
    user, password = make_user()
    assert sign_in(client, user.username, password).status_code == 302
    with unit_of_work(db):
        db.get(User, user.id).active = False
    assert client.get("/").status_code == 302
    assert sign_in(client, user.username, password).status_code == 401


def test_choosing_english_switches_the_ui(client, login_as):
    login_as()
    assert "我的学习" in client.get("/").get_data(as_text=True)
    response = post_form(client, "/locale", {"locale": "en", "next": "/"}, token_from="/")
    assert response.location == "/"
    page = client.get("/").get_data(as_text=True)
    assert "My learning" in page and '<html lang="en">' in page
    post_form(client, "/locale", {"locale": "zh_CN", "next": "/"}, token_from="/")
    assert "我的学习" in client.get("/").get_data(as_text=True)


def test_the_cookie_holds_the_session_version_and_nothing_of_the_password(app, client,
                                                                          make_user, db):
    from lms.services.accounts import bump_session_version

    user, password = make_user()
    assert sign_in(client, user.username, password).status_code == 302
    assert client.get("/").status_code == 200
    cookie = client.get_cookie("session").value
    stored = app.session_interface.get_signing_serializer(app).loads(cookie)
    assert stored["_user_id"] == f"{user.id}:1"
    with unit_of_work(db):
        bump_session_version(db.get(User, user.id))
    assert client.get("/").status_code == 302
