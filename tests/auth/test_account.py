"""My account: changing one's own password, and one-time passwords that must be replaced."""

from __future__ import annotations

from sqlalchemy import select

from lms.models import OutboxEvent, User
from lms.services import accounts
from tests.conftest import post_form, sign_in

NEW = "a-brand-new-secret"


def change(client, current: str, new: str, repeat: str | None = None):
    return post_form(client, "/account", {"current_password": current, "new_password": new,
                                          "repeat_password": new if repeat is None else repeat})


def test_the_header_links_to_my_account_page(client, login_as):
    user = login_as(name="李明")
    assert 'href="/account"' in client.get("/").get_data(as_text=True)
    page = client.get("/account").get_data(as_text=True)
    assert "我的账号" in page and "李明" in page and user.username in page
    assert 'name="current_password"' in page and 'name="repeat_password"' in page


def test_a_wrong_current_password_changes_nothing(client, make_user):
    user, password = make_user()
    sign_in(client, user.username, password)
    response = change(client, "not-my-password", NEW)
    assert response.status_code == 400
    assert "当前密码不正确" in response.get_data(as_text=True)
    assert sign_in(client.application.test_client(), user.username, password).status_code == 302


def test_short_or_mismatched_or_unchanged_new_passwords_are_refused(client, make_user):
    user, password = make_user()
    sign_in(client, user.username, password)
    for new, repeat, message in (("short", "short", "新密码须为 8 到 200 个字符"),
                                 (NEW, NEW + "x", "两次输入的新密码不一致"),
                                 (password, password, "新密码不能与当前密码相同")):
        response = change(client, password, new, repeat)
        assert response.status_code == 400, new
        assert message in response.get_data(as_text=True), new
    other = client.application.test_client()
    assert sign_in(other, user.username, password).status_code == 302


def test_the_form_needs_its_csrf_token(client, make_user):
    user, password = make_user()
    sign_in(client, user.username, password)
    response = client.post("/account", data={"current_password": password,
                                             "new_password": NEW, "repeat_password": NEW})
    assert response.status_code == 400
    assert sign_in(client.application.test_client(), user.username, password).status_code == 302


def test_changing_the_password_signs_out_other_sessions_only(app, client, make_user, db):
    user, password = make_user()
    elsewhere = app.test_client()
    assert sign_in(elsewhere, user.username, password).status_code == 302
    assert elsewhere.get("/").status_code == 200
    sign_in(client, user.username, password)

    response = change(client, password, NEW)
    assert response.status_code == 302 and response.location == "/account"
    assert "密码已修改" in client.get("/account").get_data(as_text=True)
    assert client.get("/").status_code == 200  # this session goes on
    signed_out = elsewhere.get("/")
    assert signed_out.status_code == 302 and "/login" in signed_out.location

    fresh = app.test_client()
    assert sign_in(fresh, user.username, password).status_code == 401
    assert sign_in(fresh, user.username, NEW).status_code == 302

    event = db.scalars(select(OutboxEvent).where(OutboxEvent.name == "password_changed")
                       .order_by(OutboxEvent.id.desc())).first()
    assert event.payload["user_id"] == user.id and event.payload["actor_id"] == user.id
    assert event.payload["one_time"] is False
    assert password not in str(event.payload) and NEW not in str(event.payload)


def test_a_one_time_password_must_be_replaced_before_anything_else(app, client, make_user,
                                                                    db):
    user, old = make_user()
    admin, _ = make_user("trainer")
    one_time = accounts.reset_password(db, db.get(User, admin.id), db.get(User, user.id))
    assert one_time != old and len(one_time) >= accounts.MIN_PASSWORD_LENGTH
    assert sign_in(app.test_client(), user.username, old).status_code == 401

    response = sign_in(client, user.username, one_time)
    assert response.status_code == 302
    for path in (response.location, "/", "/author/", "/courses/nowhere"):
        moved = client.get(path)
        assert moved.status_code == 302 and moved.location == "/account", path
    page = client.get("/account")
    assert page.status_code == 200 and "一次性密码" in page.get_data(as_text=True)
    assert client.get("/assets/lms.css").status_code == 200

    assert change(client, one_time, NEW).status_code == 302
    assert client.get("/").status_code == 200
    assert "一次性密码" not in client.get("/account").get_data(as_text=True)
    db.expire_all()
    assert db.get(User, user.id).must_change_password is False


def test_reset_password_records_who_did_it_but_not_the_password(make_user, db):
    user, _ = make_user()
    admin, _ = make_user("trainer")
    password = accounts.reset_password(db, db.get(User, admin.id), db.get(User, user.id))
    event = db.scalars(select(OutboxEvent).where(OutboxEvent.name == "password_changed")
                       .order_by(OutboxEvent.id.desc())).first()
    assert event.payload["actor_id"] == admin.id and event.payload["user_id"] == user.id
    assert event.payload["one_time"] is True and password not in str(event.payload)
    assert db.get(User, user.id).must_change_password is True
