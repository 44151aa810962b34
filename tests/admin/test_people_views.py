"""The people pages in a browser's shoes: scope, search, forms, refusals, one-time passwords.

Messages are checked in English (the header's language switch), so these tests do not wait
for the translation catalog to be compiled; the marks already translated are checked in
Chinese.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from lms.models import AdminAction, Enrollment, User
from lms.services import catalog, progress
from lms.services.org import find_unit
from tests.conftest import csrf_token, post_form, sign_in

GB1 = "页面党委/第一党总支"
GB2 = "页面党委/第二党总支"
BRANCH = "页面党委/第一党总支/第一党支部"
PASSWORD = re.compile(r'class="password" translate="no">([^<]+)<')


@pytest.fixture
def units(db, make_user):
    make_user("trainee", unit=BRANCH, name="本支部学员", username="inside1")
    make_user("trainee", unit=GB2, name="外总支学员", username="outside1")
    return {path: find_unit(db, path).id for path in (GB1, GB2, BRANCH)}


def english(client) -> None:
    client.post("/locale", data={"locale": "en", "next": "/",
                                 "csrf_token": csrf_token(client, "/")})


@pytest.fixture
def gb1_admin(client, login_as, grant, units):
    """Signed in (English pages) as the unit admin of 第一党总支."""
    user = login_as("trainee", unit=BRANCH, name="总支管理员")
    grant(user, unit=GB1)
    english(client)
    return user


def text(response) -> str:
    return response.get_data(as_text=True)


def person_id(db, username: str) -> int:
    return db.scalar(select(User.id).where(User.username == username))


def new_person(client, units, **fields):
    data = {"username": "wang.wu", "display_name": "王五", "unit_id": units[BRANCH],
            "role": "trainee", "phone": "", **fields}
    return post_form(client, "/admin/people/new", data)


def test_the_list_shows_only_the_admins_subtree(client, db, gb1_admin, units):
    page = text(client.get("/admin/people"))
    assert "本支部学员" in page and "总支管理员" in page and "外总支学员" not in page
    assert "页面党委/第一党总支/第一党支部" in page and "0/0" in page
    assert client.get(f"/admin/people/{person_id(db, 'outside1')}").status_code == 403
    assert client.get(f"/admin/people?unit={units[GB2]}").status_code == 403
    assert client.get("/admin/people/2147483000").status_code == 404
    assert client.get("/admin/people/99999999999999999999999").status_code == 404
    assert client.get("/admin/people?unit=99999999999999999999999").status_code == 404
    response = post_form(client, f"/admin/people/{person_id(db, 'outside1')}/deactivate",
                         {"confirm_deactivate": "y"}, token_from="/admin/people")
    assert response.status_code == 403
    assert db.get(User, person_id(db, "outside1")).active


def test_search_filter_and_empty_state(client, gb1_admin, units):
    assert "本支部学员" in text(client.get("/admin/people?q=inside"))
    page = text(client.get("/admin/people?q=nobody-like-this"))
    assert "No people match" in page and "本支部学员" not in page
    assert "本支部学员" in text(client.get(f"/admin/people?unit={units[BRANCH]}&q=本支部"))


def test_pages_are_bounded(client, db, gb1_admin, units, make_user):
    for number in range(21):
        make_user("trainee", unit=BRANCH, name=f"学员{number:02}", username=f"many{number:02}")
    first = text(client.get("/admin/people"))
    assert "Page 1 of 2" in first and "学员00" in first
    last = client.get("/admin/people?page=4611686018427387904")
    assert last.status_code == 200 and "Page 2 of 2" in text(last)
    assert client.get("/admin/people?page=-5&unit=abc").status_code == 200


def test_create_shows_a_one_time_password_that_must_be_changed(app, client, db, gb1_admin,
                                                               units):
    response = new_person(client, units, phone="13800138000")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    password = PASSWORD.search(text(response)).group(1)
    assert "will not be shown again" in text(response)
    created = db.scalar(select(User).where(User.username == "wang.wu"))
    assert created.org_unit_id == units[BRANCH] and created.must_change_password
    assert password not in text(client.get(f"/admin/people/{created.id}"))  # shown once

    other = app.test_client()
    assert sign_in(other, "wang.wu", password).status_code == 302
    assert other.get("/").location.endswith("/account")


def test_a_taken_username_is_a_409_and_nothing_is_written(client, db, gb1_admin, units):
    before = db.scalar(select(func.count(User.id)))
    response = new_person(client, units, username="inside1")
    assert response.status_code == 409
    assert "This username is taken" in text(response)
    assert db.scalar(select(func.count(User.id))) == before
    response = new_person(client, units, username="x", display_name="")
    assert response.status_code == 400 and "Enter the person" in text(response)


def test_a_unit_admin_cannot_grant_the_admin_role(client, db, gb1_admin, units):
    assert 'value="admin"' not in text(client.get("/admin/people/new"))
    response = new_person(client, units, role="admin")
    assert response.status_code == 403 and "Only site administrators" in text(response)
    assert person_id(db, "wang.wu") is None
    target = person_id(db, "inside1")
    response = post_form(client, f"/admin/people/{target}/edit",
                         {"display_name": "本支部学员", "role": "admin", "phone": ""})
    assert response.status_code == 403
    assert db.get(User, target).role.value == "trainee"


def test_edit_through_the_page(client, db, gb1_admin, units):
    target = person_id(db, "inside1")
    response = post_form(client, f"/admin/people/{target}/edit",
                         {"display_name": "改过的名字", "role": "trainer",
                          "phone": "+86 138-0013-8000"})
    assert response.status_code == 303
    db.expire_all()
    person = db.get(User, target)
    assert (person.display_name, person.role.value, person.phone) == (
        "改过的名字", "trainer", "+86 138-0013-8000")
    assert "The changes were saved" in text(client.get(response.location))
    response = post_form(client, f"/admin/people/{target}/edit",
                         {"display_name": "改过的名字", "role": "trainer", "phone": "abc"})
    assert response.status_code == 400 and "phone number" in text(response)


def test_move_keeps_a_completed_course_completed(client, db, login_as, grant, units,
                                                 make_course):
    course = make_course([{"text": "只读"}])
    target = person_id(db, "inside1")
    _, module = catalog.get_course_and_module(db, course.slug, "m1")
    progress.record_visit(db, db.get(User, target), module)
    admin = login_as("trainee", unit=BRANCH)
    grant(admin, unit="页面党委")
    english(client)
    assert "1/1" in text(client.get(f"/admin/people/{target}"))
    response = post_form(client, f"/admin/people/{target}/move", {"unit_id": ""})
    assert response.status_code == 400 and "Choose a unit." in text(response)
    response = post_form(client, f"/admin/people/{target}/move", {"unit_id": units[GB2]})
    assert response.status_code == 303
    db.expire_all()
    assert db.get(User, target).org_unit_id == units[GB2]
    assert db.scalar(select(Enrollment.completed_at)
                     .where(Enrollment.user_id == target)) is not None
    page = text(client.get(f"/admin/people/{target}"))
    assert "1/1" in page and "页面党委/第二党总支" in page


def test_a_deactivated_person_cannot_sign_in_and_is_marked(app, client, db, gb1_admin,
                                                           units, make_user):
    user, password = make_user("trainee", unit=BRANCH, name="将停用", username="leaving")
    response = post_form(client, f"/admin/people/{user.id}/deactivate", {})
    assert response.status_code == 400 and "Tick the box" in text(response)
    response = post_form(client, f"/admin/people/{user.id}/deactivate",
                         {"confirm_deactivate": "y"})
    assert response.status_code == 303
    assert sign_in(app.test_client(), "leaving", password).status_code == 401
    client.post("/locale", data={"locale": "zh_CN", "next": "/",
                                 "csrf_token": csrf_token(client, "/")})
    listed = text(client.get("/admin/people?q=leaving"))
    assert "将停用" in listed and "已停用" in listed
    response = post_form(client, f"/admin/people/{user.id}/reactivate",
                         {"confirm_reactivate": "y"})
    assert response.status_code == 303
    assert sign_in(app.test_client(), "leaving", password).status_code == 302


def test_an_admin_cannot_deactivate_themselves(client, db, gb1_admin, units):
    response = post_form(client, f"/admin/people/{gb1_admin.id}/deactivate",
                         {"confirm_deactivate": "y"})
    assert response.status_code == 400 and "your own account" in text(response)
    assert db.get(User, gb1_admin.id).active


def test_reset_password_is_shown_once_and_never_kept(app, client, db, gb1_admin, units,
                                                     make_user):
    user, old = make_user("trainee", unit=BRANCH, username="forgetful")
    response = post_form(client, f"/admin/people/{user.id}/password", {"confirm_reset": "y"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    password = PASSWORD.search(text(response)).group(1)
    with client.session_transaction() as cookie:
        assert password not in str(dict(cookie))  # not flashed into the cookie session
    assert password not in text(client.get(f"/admin/people/{user.id}"))
    assert password not in str(db.scalars(select(AdminAction.after)).all())
    assert sign_in(app.test_client(), "forgetful", old).status_code == 401
    fresh = app.test_client()
    assert sign_in(fresh, "forgetful", password).status_code == 302
    assert fresh.get("/").location.endswith("/account")


def test_forms_without_the_csrf_token_change_nothing(client, db, gb1_admin, units):
    target = person_id(db, "inside1")
    for path, data in ((f"{target}/edit", {"display_name": "改名", "role": "trainee"}),
                       (f"{target}/deactivate", {"confirm_deactivate": "y"}),
                       (f"{target}/password", {"confirm_reset": "y"}),
                       (f"{target}/move", {"unit_id": units[GB1]}),
                       ("new", {"username": "sneaky", "display_name": "偷偷",
                                "unit_id": units[BRANCH], "role": "trainee"})):
        response = client.post(f"/admin/people/{path}", data=data)
        assert response.status_code == 400, path
        assert "The form expired" in text(response)
    db.expire_all()
    person = db.get(User, target)
    assert (person.display_name, person.active, person.org_unit_id) == (
        "本支部学员", True, units[BRANCH])
    assert person_id(db, "sneaky") is None
    assert not person.must_change_password


def test_sign_in_notes_the_time_and_page_views_write_nothing(client, db, units, make_user,
                                                             count_queries):
    user, password = make_user("trainee", unit=BRANCH)
    assert db.get(User, user.id).last_active_at is None
    assert sign_in(client, user.username, password).status_code == 302
    db.expire_all()
    stamped = db.get(User, user.id).last_active_at
    assert stamped is not None
    _, recorded = count_queries("/")
    assert recorded.writes == []
    db.expire_all()
    assert db.get(User, user.id).last_active_at == stamped


def test_the_people_list_queries_the_same_for_few_and_many_people(
        client, db, login_as, make_user, make_course, count_queries):
    login_as("admin", unit=None)  # a site admin
    course = make_course([{"text": "只读"}])
    _, module = catalog.get_course_and_module(db, course.slug, "m1")
    user, _ = make_user("trainee", unit="预算党委/第一党支部")
    progress.record_visit(db, db.get(User, user.id), module)
    url = f"/admin/people?unit={find_unit(db, '预算党委').id}"
    _, few = count_queries(url)
    for number in range(15):
        user, _ = make_user("trainee", unit=f"预算党委/第{number}党支部")
        progress.record_visit(db, db.get(User, user.id), module)
    response, many = count_queries(url)
    assert text(response).count("1/1") == 16
    assert len(many) == len(few), many.report()
    assert many.writes == []
