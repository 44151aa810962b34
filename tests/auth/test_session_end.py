"""Sessions that really end: a cookie saved earlier opens nothing after sign-out, a password
change, a password reset or deactivation, on this device or any other; and none lasts long."""

from __future__ import annotations

import time

import itsdangerous
import pytest

from lms import create_app
from tests.conftest import csrf_token, post_form, sign_in


@pytest.fixture
def module_url(make_course):
    return make_course([{"minutes": 10, "text": "学习内容。"}]).modules[0].url


class Saved:
    """A session cookie copied off a signed-in device, with the page's CSRF token: what an
    attacker who got hold of the cookie would replay."""

    def __init__(self, app, client, module_url):
        self.app, self.url = app, module_url
        self.token = csrf_token(client, module_url)
        self.cookie = client.get_cookie("session").value
        self.seq = 0

    def replay(self):
        """Open the module page and send its heartbeat from a fresh client holding the cookie."""
        other = self.app.test_client()
        other.set_cookie("session", self.cookie)
        self.seq += 1
        beat = other.post(self.url + "/beat", json={"tab": "saved", "seq": self.seq},
                          headers={"X-CSRFToken": self.token})
        return other.get(self.url), beat

    def works(self) -> bool:
        page, beat = self.replay()
        return page.status_code == 200 and beat.status_code == 200

    def is_dead(self) -> bool:
        page, beat = self.replay()
        return (page.status_code == 302 and page.location.startswith("/login")
                and beat.status_code == 401 and beat.get_json()["error"] == "Unauthorized")


def signed_in(app, user, password, module_url) -> tuple:
    client = app.test_client()
    assert sign_in(client, user.username, password).status_code == 302
    saved = Saved(app, client, module_url)
    assert saved.works()
    return client, saved


def test_a_cookie_saved_before_sign_out_opens_nothing_after(app, make_user, module_url):
    user, password = make_user()
    client, saved = signed_in(app, user, password, module_url)
    _, other_device = signed_in(app, user, password, module_url)
    response = post_form(client, "/logout", {}, token_from="/")
    assert response.status_code == 302
    assert client.get(module_url).status_code == 302
    assert saved.is_dead()
    assert other_device.is_dead()  # sign-out ends the person's sessions everywhere
    again, _ = signed_in(app, user, password, module_url)  # signing in again works
    assert again.get("/").status_code == 200


def test_a_password_change_ends_other_devices_and_keeps_this_one(app, make_user, module_url):
    user, password = make_user()
    client, this_device = signed_in(app, user, password, module_url)
    _, other_device = signed_in(app, user, password, module_url)
    response = post_form(client, "/account", {"current_password": password,
                                              "new_password": "a-brand-new-secret",
                                              "repeat_password": "a-brand-new-secret"})
    assert response.status_code == 302
    assert other_device.is_dead()
    assert this_device.is_dead()  # the cookie from before the change, replayed elsewhere
    assert client.get(module_url).status_code == 200  # this device was signed in again


def admin_of(client, login_as, grant):
    admin = login_as("trainee", unit="测试党委/第一党总支/第一党支部", name="支部管理员")
    grant(admin, unit="测试党委/第一党总支")
    return admin


def test_deactivation_ends_the_sessions_and_reactivation_revives_none(
        app, client, make_user, login_as, grant, module_url):
    user, password = make_user()
    _, saved = signed_in(app, user, password, module_url)
    admin_of(client, login_as, grant)
    page = f"/admin/people/{user.id}"
    response = post_form(client, page + "/deactivate", {"confirm_deactivate": "y"},
                         token_from=page)
    assert response.status_code == 303
    assert saved.is_dead()
    response = post_form(client, page + "/reactivate", {"confirm_reactivate": "y"},
                         token_from=page)
    assert response.status_code == 303
    assert saved.is_dead()
    assert sign_in(app.test_client(), user.username, password).status_code == 302


def test_an_admins_password_reset_ends_the_sessions(app, client, make_user, login_as, grant,
                                                   module_url):
    user, password = make_user()
    _, saved = signed_in(app, user, password, module_url)
    admin_of(client, login_as, grant)
    page = f"/admin/people/{user.id}"
    response = post_form(client, page + "/password", {"confirm_reset": "y"}, token_from=page)
    assert response.status_code == 200
    assert saved.is_dead()


def test_a_session_lasts_at_most_the_configured_hours(app, make_user, module_url,
                                                      monkeypatch):
    user, password = make_user()
    _, saved = signed_in(app, user, password, module_url)
    now = time.time()
    later = {"hours": 11}
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp",
                        lambda _self: int(now + later["hours"] * 3600))
    # Pages only: the heartbeat's CSRF token has its own, shorter, limit (one hour).
    assert saved.replay()[0].status_code == 200
    later["hours"] = 13  # LMS_SESSION_HOURS defaults to 12
    page, beat = saved.replay()
    assert page.status_code == 302 and page.location.startswith("/login")
    assert beat.status_code == 401


def test_the_session_cookie_is_httponly_lax_and_secure_when_configured(
        client, make_user, tmp_path, monkeypatch):
    user, password = make_user()
    cookie = sign_in(client, user.username, password).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie

    monkeypatch.setenv("LMS_SECURE_COOKIES", "true")
    monkeypatch.setenv("LMS_SESSION_HOURS", "2")
    behind_https = create_app({"SECRET_KEY": "x",
                               "LMS_DATABASE_URL": f"sqlite:///{tmp_path / 'lms.db'}"})
    assert behind_https.config["SESSION_COOKIE_SECURE"] is True
    assert behind_https.permanent_session_lifetime.total_seconds() == 2 * 3600
