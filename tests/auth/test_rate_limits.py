"""Password guessing is limited per account and per address, in memory and in real Redis."""

from __future__ import annotations

import pytest
from flask import Flask, request
from flask.testing import FlaskClient

from lms import LMS, migrate
from tests.conftest import TEST_HASH_METHOD, csrf_token, post_form, sign_in

LOCKED = ("尝试次数过多", "分钟后再试")


def client_at(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def attempt(client: FlaskClient, username: str, password: str, **kwargs):
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_token(client)}, **kwargs)


def assert_locked(response, within: int = 60) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code == 429, body
    assert all(words in body for words in LOCKED), body
    assert 0 < int(response.headers["Retry-After"]) <= within


def test_the_sixth_wrong_password_is_refused_and_then_even_the_right_one(limited_app,
                                                                          make_user):
    app = limited_app()
    user, password = make_user()
    client = client_at(app, "10.0.0.1")
    for _ in range(5):
        assert attempt(client, user.username, "wrong-guess").status_code == 401
    assert_locked(attempt(client, user.username, "wrong-guess"))
    assert "请 1 分钟后再试" in attempt(client, user.username, "x").get_data(as_text=True)
    # The same account, typed in another case, from another address: still refused.
    elsewhere = client_at(app, "10.0.0.9")
    assert_locked(attempt(elsewhere, f"  {user.username.upper()} ", password))
    assert client.get("/").status_code == elsewhere.get("/").status_code == 302  # signed out


def test_other_accounts_still_sign_in_from_this_and_other_addresses(limited_app, make_user):
    app = limited_app()
    victim, _ = make_user()
    colleague, colleague_password = make_user()
    stranger, stranger_password = make_user()
    office = client_at(app, "10.0.0.1")
    for _ in range(6):
        attempt(office, victim.username, "wrong-guess")
    assert_locked(attempt(office, victim.username, "wrong-guess"))
    assert attempt(client_at(app, "10.0.0.1"), colleague.username,
                   colleague_password).status_code == 302
    assert attempt(client_at(app, "10.0.0.2"), stranger.username,
                   stranger_password).status_code == 302


def test_right_passwords_do_not_count(limited_app, make_user):
    app = limited_app()
    user, password = make_user()
    for _ in range(8):  # eight devices at one address
        assert attempt(client_at(app, "10.0.0.1"), user.username, password).status_code == 302
    client = client_at(app, "10.0.0.1")
    for _ in range(5):
        assert attempt(client, user.username, "wrong-guess").status_code == 401


def test_one_address_guessing_across_many_usernames_is_stopped(limited_app, make_user):
    app = limited_app(LMS_RATELIMIT_ADDRESS="8 per minute")
    user, password = make_user()
    guesser = client_at(app, "203.0.113.7")
    for number in range(8):
        assert attempt(guesser, f"someone{number}", "123456").status_code == 401
    assert_locked(attempt(guesser, "someone-else", "123456"))
    assert_locked(attempt(guesser, user.username, password))
    assert attempt(client_at(app, "10.0.0.2"), user.username, password).status_code == 302


def test_json_clients_get_json_with_retry_after(limited_app, make_user):
    app = limited_app(LMS_RATELIMIT_ACCOUNT="2 per hour")
    user, _ = make_user()
    client = client_at(app, "10.0.0.1")
    for _ in range(2):
        attempt(client, user.username, "wrong-guess")
    response = attempt(client, user.username, "wrong-guess",
                       headers={"Accept": "application/json"})
    assert response.status_code == 429
    seconds = int(response.headers["Retry-After"])
    assert 3500 < seconds <= 3600 and response.get_json() == {"error": 429,
                                                              "retry_after": seconds}


def test_the_page_speaks_english_when_chosen(limited_app, make_user):
    app = limited_app(LMS_RATELIMIT_ACCOUNT="1 per hour")
    user, _ = make_user()
    client = client_at(app, "10.0.0.1")
    post_form(client, "/locale", {"locale": "en", "next": "/login"}, token_from="/login")
    attempt(client, user.username, "wrong-guess")
    response = attempt(client, user.username, "wrong-guess")
    body = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Too many attempts" in body and "try again in 60 minute(s)" in body


def test_the_current_password_on_the_account_page_is_limited(limited_app, make_user):
    app = limited_app()
    user, password = make_user()
    client = client_at(app, "10.0.0.1")
    assert sign_in(client, user.username, password).status_code == 302

    def change(current: str):
        return post_form(client, "/account", {"current_password": current,
                                              "new_password": "brand-new-pass-1",
                                              "repeat_password": "brand-new-pass-1"})

    for _ in range(5):
        assert change("wrong-guess").status_code == 400
    assert_locked(change("wrong-guess"))
    assert_locked(change(password))
    assert sign_in(client_at(app, "10.0.0.3"), user.username, password).status_code == 302


@pytest.mark.parametrize("storage_uri", ["memory://"])
def test_with_redis_unreachable_sign_in_works_and_limits_hold_in_memory(limited_app, make_user,
                                                                         caplog):
    from tests.auth.conftest import _free_port

    app = limited_app(LMS_RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{_free_port()}/0")
    user, password = make_user()
    assert attempt(client_at(app, "10.0.0.1"), user.username, password).status_code == 302
    client = client_at(app, "10.0.0.1")
    for _ in range(5):
        assert attempt(client, user.username, "wrong-guess").status_code == 401
    assert_locked(attempt(client, user.username, "wrong-guess"))
    assert "falling back to in-memory storage" in caplog.text


def test_a_setting_turns_the_limits_off(limited_app, make_user):
    app = limited_app(LMS_RATELIMIT_ENABLED=False)
    user, password = make_user()
    client = client_at(app, "10.0.0.1")
    for _ in range(21):  # past both the account's and the address's default
        assert attempt(client, user.username, "wrong-guess").status_code == 401
    assert attempt(client, user.username, password).status_code == 302


def test_a_mistyped_limit_stops_the_start(tmp_path):
    from lms import create_app

    with pytest.raises(ValueError):
        create_app({"SECRET_KEY": "x", "LMS_RATELIMIT_ACCOUNT": "five a minute",
                    "LMS_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})


def test_a_hosts_own_limiter_keeps_its_limits_and_ours_stays_on_our_views(tmp_path):
    from flask_limiter import Limiter
    from flask_limiter.util import get_remote_address

    host = Flask("host_app")
    host.config.update(SECRET_KEY="host", TESTING=True, RATELIMIT_APPLICATION="3 per minute",
                       LMS_PASSWORD_HASH_METHOD=TEST_HASH_METHOD,
                       LMS_DATABASE_URL=f"sqlite:///{tmp_path / 'shared.sqlite3'}")
    Limiter(get_remote_address, app=host, storage_uri="memory://",
            application_limits_exempt_when=lambda: request.path.startswith("/training"))

    @host.route("/")
    def host_home():
        return "host home page"

    LMS(host, url_prefix="/training")
    migrate.upgrade(host.extensions["lms"].engine)
    client = host.test_client()
    assert [client.get("/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert "尝试次数过多" not in client.get("/").get_data(as_text=True)  # the host's own 429
    statuses = [client.post("/training/login", data={
        "username": "wang", "password": "guess",
        "csrf_token": csrf_token(client, "/training/login")}).status_code for _ in range(6)]
    host.extensions["lms"].engine.dispose()
    # The host's RATELIMIT_APPLICATION is not applied again by LMS's limiter; LMS's own is.
    assert statuses == [401] * 5 + [429]
