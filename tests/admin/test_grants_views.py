"""Grants in the browser: make a person admin of a unit or author of a course, and take it back."""

from __future__ import annotations

import re

import pytest
from flask_babel import gettext
from sqlalchemy import select

from lms.models import AdminAction, Course, Grant, GrantKind, User
from lms.services.org import find_unit
from tests.conftest import post_form, sign_in

GB1 = "授权党委/第一党总支"
GB2 = "授权党委/第二党总支"
BRANCH = "授权党委/第一党总支/第一党支部"


def ui(app, message: str, **values) -> str:
    """``message`` in the UI language (Chinese by default), as the pages word it."""
    with app.test_request_context():
        return gettext(message, **values)


def page(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def units(db, make_user):
    make_user("trainee", unit=GB2)
    make_user("trainee", unit=BRANCH)
    return {path: find_unit(db, path).id for path in (GB1, GB2, BRANCH)}


@pytest.fixture
def gb1_admin(login_as, grant, units):
    user = login_as("trainee", unit=BRANCH, username="gb1admin", name="总支管理员")
    grant(user, unit=GB1)
    return user


def grants_of(db, username: str) -> list[tuple[str, int | None, int | None]]:
    db.expire_all()
    return [(row.kind.value, row.org_unit_id, row.course_id) for row in db.scalars(
        select(Grant).join(User, Grant.user_id == User.id).where(User.username == username))]


def test_grant_then_revoke_a_unit_admin_through_the_unit_page(app, client, db, make_user,
                                                              gb1_admin, units):
    new, password = make_user("trainee", unit=BRANCH, username="lisi", name="李四")
    url = f"/admin/units/{units[BRANCH]}"
    response = post_form(client, f"{url}/admins", {"username": " lisi "})
    assert response.status_code == 303 and response.location.endswith(url)
    text = page(client.get(url))
    assert "李四" in text and ui(app, "Granted to %(name)s (%(username)s).", name="李四",
                                 username="lisi") in text
    assert grants_of(db, "lisi") == [("unit_admin", units[BRANCH], None)]
    audit = db.scalars(select(AdminAction).where(AdminAction.action == "grant_changed",
                                                 AdminAction.target_id == new.id)).one()
    assert audit.actor_id == gb1_admin.id

    other = app.test_client()
    assert sign_in(other, "lisi", password).status_code == 302
    assert other.get(url).status_code == 200
    assert other.get(f"/admin/units/{units[GB1]}").status_code == 403  # only the 支部

    grant_id = db.scalar(select(Grant.id).join(User, Grant.user_id == User.id)
                         .where(User.username == "lisi"))
    response = post_form(client, f"/admin/grants/{grant_id}/revoke",
                         {"confirm": "y", "back": "unit"}, token_from=url)
    assert response.status_code == 303 and response.location.endswith(url)
    assert grants_of(db, "lisi") == []
    assert other.get(url).status_code == 403


def test_an_unknown_username_is_a_form_error_and_grants_nothing(app, client, db, gb1_admin,
                                                                units):
    before = db.scalar(select(AdminAction.id).order_by(AdminAction.id.desc()).limit(1))
    response = post_form(client, f"/admin/units/{units[BRANCH]}/admins", {"username": "nobody"})
    assert response.status_code == 400
    text = page(response)
    assert ui(app, "There is no person with this username.") in text
    assert 'aria-invalid="true"' in text and 'value="nobody"' in text
    assert db.scalar(select(AdminAction.id).order_by(AdminAction.id.desc()).limit(1)) == before
    response = post_form(client, f"/admin/units/{units[BRANCH]}/admins", {"username": ""})
    assert response.status_code == 400
    assert ui(app, "Enter a username.") in page(response)


def test_a_unit_admin_cannot_hand_their_unit_to_someone_of_another_unit(app, client, db,
                                                                       make_user, gb1_admin,
                                                                       units):
    make_user("trainee", unit=GB2, username="outsider", name="外单位的人")
    response = post_form(client, f"/admin/units/{units[BRANCH]}/admins",
                         {"username": "outsider"})
    assert response.status_code == 400
    text = page(response)
    assert ui(app, "There is no person with this username.") in text
    assert "外单位的人" not in text  # nothing about other units' accounts leaks
    assert grants_of(db, "outsider") == []


def test_a_unit_admin_cannot_make_site_admins_or_authors(app, client, db, make_user, gb1_admin,
                                                         make_course, units):
    make_user("trainee", unit=BRANCH, username="wangwu")
    course = make_course([{"slug": "read"}])
    assert "/admin/grants/site-admins" not in page(client.get("/admin/grants"))  # no form
    response = post_form(client, "/admin/grants/site-admins", {"username": "wangwu"},
                         token_from="/admin/grants")
    assert response.status_code == 403
    course_id = db.scalar(select(Course.id).where(Course.slug == course.slug))
    response = post_form(client, "/admin/grants/course-authors",
                         {"course_id": course_id, "author_username": "wangwu"},
                         token_from="/admin/grants")
    assert response.status_code == 403
    assert grants_of(db, "wangwu") == []
    assert db.scalar(select(AdminAction.id).where(AdminAction.action == "grant_changed",
                                                  AdminAction.actor_id == gb1_admin.id)) is None


def test_a_unit_admin_cannot_grant_or_revoke_outside_their_subtree(client, db, make_user, grant,
                                                                   gb1_admin, units):
    outsider, _ = make_user("trainee", unit=GB2, username="zhaoliu")
    grant(outsider, unit=GB2)
    response = post_form(client, f"/admin/units/{units[GB2]}/admins", {"username": "wangwu"},
                         token_from="/admin/")
    assert response.status_code == 403
    grant_id = db.scalar(select(Grant.id).where(Grant.user_id == outsider.id))
    response = post_form(client, f"/admin/grants/{grant_id}/revoke", {"confirm": "y"},
                         token_from="/admin/")
    assert response.status_code == 403
    assert grants_of(db, "zhaoliu") == [("unit_admin", units[GB2], None)]
    assert post_form(client, "/admin/grants/99999999/revoke", {"confirm": "y"},
                     token_from="/admin/").status_code == 404


def test_revoking_needs_the_box_ticked_and_never_ones_own_last_admin_grant(
        app, client, db, grant, gb1_admin, units):
    own = db.scalar(select(Grant.id).where(Grant.user_id == gb1_admin.id))
    response = post_form(client, f"/admin/grants/{own}/revoke", {"back": "unit"},
                         token_from="/admin/")
    assert response.status_code == 400
    assert ui(app, "Tick the box to confirm.") in page(response)
    response = post_form(client, f"/admin/grants/{own}/revoke", {"confirm": "y"},
                         token_from="/admin/")
    assert response.status_code == 409
    assert ui(app, "You cannot revoke your own last admin grant: you would lock yourself out "
                   "of the admin room. Ask another admin to do it.") in page(response)
    assert grants_of(db, "gb1admin") == [("unit_admin", units[GB1], None)]
    grant(gb1_admin, unit=BRANCH)  # with a second admin grant, giving up one is fine
    response = post_form(client, f"/admin/grants/{own}/revoke", {"confirm": "y"},
                         token_from="/admin/")
    assert response.status_code == 303
    assert grants_of(db, "gb1admin") == [("unit_admin", units[BRANCH], None)]


def test_site_admins_name_course_authors_and_site_admins_on_the_grants_page(
        app, client, db, login_as, make_user, make_course, units):
    login_as("admin", unit=None)  # an admin without a unit is a site admin
    make_user("trainee", unit=GB2, username="author1", name="作者甲")
    course = make_course([{"slug": "read"}])
    course_id = db.scalar(select(Course.id).where(Course.slug == course.slug))
    response = post_form(client, "/admin/grants/course-authors",
                         {"course_id": course_id, "author_username": "author1"},
                         token_from="/admin/grants")
    assert response.status_code == 303
    assert grants_of(db, "author1") == [("course_author", None, course_id)]
    text = page(client.get("/admin/grants"))
    assert "作者甲" in text and course.title in text
    response = post_form(client, "/admin/grants/course-authors",
                         {"course_id": 2147483000, "author_username": "author1"},
                         token_from="/admin/grants")
    assert response.status_code == 400
    assert ui(app, "The chosen course does not exist.") in page(response)
    response = post_form(client, "/admin/grants/site-admins", {"username": "author1"},
                         token_from="/admin/grants")
    assert response.status_code == 303
    assert ("site_admin", None, None) in grants_of(db, "author1")
    author_grant = db.scalar(select(Grant.id).where(Grant.kind == GrantKind.COURSE_AUTHOR,
                                                    Grant.course_id == course_id))
    response = post_form(client, f"/admin/grants/{author_grant}/revoke", {"confirm": "y"},
                         token_from="/admin/grants")
    assert response.status_code == 303
    assert grants_of(db, "author1") == [("site_admin", None, None)]


def test_the_grants_page_lists_the_admins_scope_a_page_at_a_time(client, db, make_user, grant,
                                                                 gb1_admin, units):
    for number in range(21):
        user, _ = make_user("trainee", unit=BRANCH, username=f"branch{number:02}")
        grant(user, unit=BRANCH)
    outsider, _ = make_user("trainee", unit=GB2, username="outsider")
    grant(outsider, unit=GB2)
    first, second = page(client.get("/admin/grants")), page(client.get("/admin/grants?page=2"))
    names = set(re.findall(r"branch\d\d|gb1admin|outsider", first + second))
    assert names == {f"branch{n:02}" for n in range(21)} | {"gb1admin"}
    assert "branch20" in first and "gb1admin" in second  # newest first, 20 a page
