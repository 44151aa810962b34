"""People services: who may change whom, what each refusal says, and the audit rows left."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lms.models import AdminAction, Enrollment, OrgUnit, User
from lms.services import catalog, org_admin, people_admin, progress
from lms.services.errors import PermissionDenied
from lms.services.org import find_unit
from lms.services.people_admin import PersonChangeRefused
from lms.services.permissions import scope_of

ROOT = "人员党委"
GB1 = "人员党委/第一党总支"
GB2 = "人员党委/第二党总支"
BRANCH = "人员党委/第一党总支/第一党支部"


@pytest.fixture
def units(db, make_user):
    make_user("trainee", unit=BRANCH, name="甲学员")
    make_user("trainee", unit=GB2, name="乙学员")
    return {path: find_unit(db, path) for path in (ROOT, GB1, GB2, BRANCH)}


@pytest.fixture
def site_admin(db, make_user, grant, units):
    user, _ = make_user("trainee", unit=None, name="站点管理员")
    grant(user, site=True)
    return db.get(User, user.id)


@pytest.fixture
def gb1_admin(db, make_user, grant, units):
    user, _ = make_user("trainee", unit=BRANCH, name="总支管理员")
    grant(user, unit=GB1)
    return db.get(User, user.id)


def audit(db, action: str, user_id: int) -> list[AdminAction]:
    return list(db.scalars(select(AdminAction).where(
        AdminAction.action == action, AdminAction.target_id == user_id,
        AdminAction.target_kind == "user").order_by(AdminAction.id)))


def create(db, actor, unit, **fields):
    values = {"username": "zhang.san", "display_name": "张三", "role": "trainee", **fields}
    return people_admin.create_person(db, actor, unit=unit, **values)


def test_create_gives_a_one_time_password_and_an_audit_row(db, gb1_admin, units):
    person, password = create(db, gb1_admin, units[BRANCH], phone="138 0013 8000")
    assert person.must_change_password and len(password) >= 8
    assert person.org_unit_id == units[BRANCH].id and person.phone == "138 0013 8000"
    row, = audit(db, "person_created", person.id)
    assert row.actor_id == gb1_admin.id and row.org_unit_path == units[BRANCH].path
    assert row.after["username"] == "zhang.san" and row.after["source"] == "form"
    assert password not in str(row.after)


@pytest.mark.parametrize(("fields", "reason"), [
    ({"username": "ab"}, "username_invalid"),
    ({"username": "张三"}, "username_invalid"),
    ({"username": "a b c"}, "username_invalid"),
    ({"username": "x" * 81}, "username_invalid"),
    ({"display_name": "  "}, "name_required"),
    ({"display_name": "长" * 101}, "name_too_long"),
    ({"phone": "call me"}, "phone_invalid"),
    ({"role": "boss"}, "role_invalid"),
    ({"role": "admin"}, "role_not_allowed"),
])
def test_create_refusals_have_stable_reasons_and_write_nothing(db, gb1_admin, units, fields,
                                                               reason):
    before = db.scalar(select(func.count(User.id)))
    with pytest.raises(PersonChangeRefused) as refused:
        create(db, gb1_admin, units[BRANCH], **fields)
    assert refused.value.reason == reason
    assert db.scalar(select(func.count(User.id))) == before


def test_a_taken_username_is_refused(db, gb1_admin, units):
    create(db, gb1_admin, units[BRANCH])
    with pytest.raises(PersonChangeRefused) as refused:
        create(db, gb1_admin, units[GB1], display_name="另一个张三")
    assert refused.value.reason == "username_taken"


def test_create_needs_an_active_unit_in_the_actors_subtree(db, gb1_admin, site_admin, units):
    with pytest.raises(PermissionDenied):
        create(db, gb1_admin, units[GB2])
    empty = org_admin.create_unit(db, site_admin, units[GB1], "空支部", "branch")
    org_admin.deactivate_unit(db, site_admin, empty)
    with pytest.raises(PersonChangeRefused) as refused:
        create(db, gb1_admin, db.get(OrgUnit, empty.id))
    assert refused.value.reason == "unit_inactive"


def test_only_site_admins_give_the_admin_role(db, gb1_admin, site_admin, units):
    person, _ = create(db, site_admin, units[BRANCH], role="admin")
    assert person.role.value == "admin"
    trainee, _ = create(db, gb1_admin, units[BRANCH], username="li.si", role="trainer")
    with pytest.raises(PersonChangeRefused) as refused:
        people_admin.update_person(db, gb1_admin, trainee, role="admin")
    assert refused.value.reason == "role_not_allowed"
    with pytest.raises(PermissionDenied):  # an admin's account is for site admins to change
        people_admin.update_person(db, gb1_admin, person, display_name="改名")


def test_update_reports_and_audits_only_what_changed(db, gb1_admin, units):
    person, _ = create(db, gb1_admin, units[BRANCH], phone="13800138000")
    assert people_admin.update_person(db, gb1_admin, person, display_name="张三丰",
                                      role="trainee", phone="13800138000") == ["display_name"]
    row, = audit(db, "person_updated", person.id)
    assert (row.before, row.after) == ({"display_name": "张三"}, {"display_name": "张三丰"})
    assert people_admin.update_person(db, gb1_admin, person, display_name=" 张三丰 ") == []
    assert len(audit(db, "person_updated", person.id)) == 1  # nothing changed: no event
    assert people_admin.update_person(db, gb1_admin, person, phone="", role="trainer",
                                      source="import") == ["role", "phone"]
    db.expire_all()
    assert db.get(User, person.id).phone is None


def test_move_needs_both_units_and_keeps_completed_work(db, app, gb1_admin, site_admin, units,
                                                        make_course):
    course = make_course([{"text": "只读"}])
    person, _ = create(db, gb1_admin, units[BRANCH])
    _, module = catalog.get_course_and_module(db, course.slug, "m1")
    progress.record_visit(db, db.get(User, person.id), module)
    done = db.scalar(select(Enrollment.completed_at).where(Enrollment.user_id == person.id))
    assert done is not None
    with pytest.raises(PermissionDenied):
        people_admin.move_person(db, gb1_admin, db.get(User, person.id), units[GB2])
    people_admin.move_person(db, site_admin, db.get(User, person.id), units[GB2])
    db.expire_all()
    assert db.get(User, person.id).org_unit_id == units[GB2].id
    assert db.scalar(select(Enrollment.completed_at)
                     .where(Enrollment.user_id == person.id)) == done
    row, = audit(db, "person_moved", person.id)
    assert row.org_unit_path == db.get(OrgUnit, units[GB2].id).path
    assert (row.before, row.after) == ({"org_unit_id": units[BRANCH].id},
                                       {"org_unit_id": units[GB2].id})
    people_admin.move_person(db, site_admin, db.get(User, person.id), units[GB2])
    assert len(audit(db, "person_moved", person.id)) == 1  # already there: no event


def test_deactivate_and_reactivate_but_never_oneself(db, gb1_admin, units):
    person, _ = create(db, gb1_admin, units[BRANCH])
    people_admin.set_person_active(db, gb1_admin, person, False)
    db.expire_all()
    assert db.get(User, person.id).active is False
    people_admin.set_person_active(db, gb1_admin, db.get(User, person.id), True)
    rows = audit(db, "person_activation_changed", person.id)
    assert [row.after for row in rows] == [{"active": False}, {"active": True}]
    with pytest.raises(PersonChangeRefused) as refused:
        people_admin.set_person_active(db, gb1_admin, db.get(User, gb1_admin.id), False)
    assert refused.value.reason == "own_account"


def test_a_unit_admin_cannot_take_over_someone_who_reaches_further(db, gb1_admin, grant,
                                                                   units):
    person, _ = create(db, gb1_admin, units[BRANCH])
    grant(person, site=True)
    with pytest.raises(PermissionDenied):
        people_admin.reset_person_password(db, gb1_admin, db.get(User, person.id))
    assert not people_admin.may_manage(db, scope_of(db, gb1_admin), db.get(User, person.id))


def test_reset_password_is_one_time_and_audited(db, gb1_admin, units):
    person, first = create(db, gb1_admin, units[BRANCH])
    password = people_admin.reset_person_password(db, gb1_admin, person)
    assert password != first and db.get(User, person.id).must_change_password
    row, = audit(db, "password_changed", person.id)
    assert row.after == {"password": "one-time"} and row.org_unit_path == units[BRANCH].path


def test_list_is_scoped_searchable_ordered_and_bounded(db, gb1_admin, site_admin, units):
    for number in range(3):
        create(db, gb1_admin, units[BRANCH], username=f"p{number:03}", display_name=f"人{number}",
               phone=f"1390000000{number}")
    scope = scope_of(db, gb1_admin)
    result = people_admin.list_people(db, scope, page_size=2)
    names = [row.person.display_name for row in result.items]
    assert result.total == 5 and result.pages == 3 and "乙学员" not in names
    last = people_admin.list_people(db, scope, page=2**62, page_size=2)
    assert last.page == 3 and len(last.items) == 1
    assert [r.person.username for r in
            people_admin.list_people(db, scope, query="13900000002").items] == ["p002"]
    assert people_admin.list_people(db, scope, query="P00").total == 3  # any case
    assert people_admin.list_people(db, scope, query="%").total == 0  # LIKE is escaped
    row = people_admin.list_people(db, scope, query="p001").items[0]
    assert row.unit_path == BRANCH and row.completion == "0/0" and row.active
    with pytest.raises(PermissionDenied):
        people_admin.list_people(db, scope, unit=units[GB2])
    everyone = people_admin.list_people(db, scope_of(db, site_admin), unit=units[ROOT])
    assert everyone.total == 6


def _reference(db, *, unit_prefix=None, query="", active_only=False, unitless=False):
    """The list's order computed the slow way: every person sorted by unit path, name, id."""
    people = []
    for person in db.scalars(select(User)):
        unit = db.get(OrgUnit, person.org_unit_id) if person.org_unit_id else None
        if unit is None and not unitless:
            continue
        if unit is not None and unit_prefix and not unit.path.startswith(unit_prefix):
            continue
        text = "\n".join([person.display_name, person.username, person.phone or ""]).lower()
        if query.lower() not in text or (active_only and not person.active):
            continue
        people.append(((unit is not None, unit.path if unit else ""), person.display_name,
                       person.id))
    return [person_id for *_, person_id in sorted(people)]


def test_pages_follow_unit_path_then_name_across_units(db, gb1_admin, site_admin, units):
    """Pages read per unit must still add up to one list in (unit path, name) order, with
    every filter, whichever unit boundary a page starts or ends on."""
    names = ["王伟", "李娜", "张伟", "刘洋", "陈静", "杨伟", "赵敏"]
    targets = [units[BRANCH], units[GB1], units[GB2], units[BRANCH]]
    for number in range(23):
        person, _ = create(db, site_admin, targets[number % 4], username=f"list{number:02}",
                           display_name=names[number * 5 % 7], phone=f"1380000{number:04}")
        if number % 6 == 0:
            people_admin.set_person_active(db, site_admin, person, False)
    site, gb1 = scope_of(db, site_admin), scope_of(db, gb1_admin)
    cases = [(site, {}, {"unitless": True}),
             (site, {"unit": units[GB1]}, {"unit_prefix": units[GB1].path}),
             (gb1, {}, {"unit_prefix": units[GB1].path}),
             (site, {"query": "伟"}, {"query": "伟", "unitless": True}),
             (site, {"query": " LIST1 "}, {"query": "list1", "unitless": True}),
             (gb1, {"include_inactive": False}, {"unit_prefix": units[GB1].path,
                                                  "active_only": True})]
    for scope, filters, reference in cases:
        expected = _reference(db, **reference)
        for size in (1, 4, 7):
            first = people_admin.list_people(db, scope, page_size=size, **filters)
            seen = [row.person.id for page in range(1, first.pages + 1) for row in
                    people_admin.list_people(db, scope, page=page, page_size=size,
                                             **filters).items]
            assert (first.total, seen) == (len(expected), expected), (filters, size)
