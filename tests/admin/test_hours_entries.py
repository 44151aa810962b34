"""集中培训 and 集体学习 recorded by admins on the person page: scope, refusals, removal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lms.models import AdminAction, Course, HoursEntry, HoursKind, User
from lms.services import hours, hours_entries
from lms.services.errors import PermissionDenied
from lms.services.hours_entries import HoursEntryRefused
from lms.services.org import find_unit
from tests.conftest import post_form, sign_in

GB1 = "学时党委/第一党总支"
GB2 = "学时党委/第二党总支"
BRANCH = "学时党委/第一党总支/第一党支部"
TODAY = date.today()


@pytest.fixture
def trainee(db, make_user):
    user, _ = make_user("trainee", unit=BRANCH, name="本支部学员", username="hours.trainee")
    make_user("trainee", unit=GB2, name="外总支学员", username="hours.outside")
    return user


def english(client) -> None:
    post_form(client, "/locale", {"locale": "en", "next": "/"}, token_from="/")


def admin_of(client, login_as, grant, unit: str) -> User:
    user = login_as("trainee", unit=unit, name="总支管理员")
    grant(user, unit=unit)
    english(client)
    return user


@pytest.fixture
def gb1_admin(client, login_as, grant, trainee):
    return admin_of(client, login_as, grant, GB1)


def record(client, person_id: int, **fields):
    data = {"kind": "central", "hours": "1.5", "title": "学习贯彻党的二十大精神专题培训",
            "held_on": TODAY.isoformat(), **fields}
    return post_form(client, f"/admin/people/{person_id}/hours", data,
                     token_from=f"/admin/people/{person_id}")


def remove(client, person_id: int, entry_id: int, confirm: bool = True):
    return post_form(client, f"/admin/people/{person_id}/hours/{entry_id}/remove",
                     {"confirm": "y"} if confirm else {}, token_from=f"/admin/people/{person_id}")


def entries(db, user_id: int) -> list[HoursEntry]:
    db.expire_all()
    return list(db.scalars(select(HoursEntry).where(HoursEntry.user_id == user_id)
                           .order_by(HoursEntry.id)))


def audit_count(db, user_id: int) -> int:
    return db.scalar(select(func.count()).select_from(AdminAction).where(
        AdminAction.action == "offline_hours_changed", AdminAction.target_id == user_id))


def test_a_unit_admin_records_hours_the_trainee_sees(app, client, db, gb1_admin, trainee):
    response = record(client, trainee.id)
    assert response.status_code == 303 and response.location.endswith("#hours")
    page = client.get(f"/admin/people/{trainee.id}").get_data(as_text=True)
    assert "The study hours were recorded." in page
    assert "学习贯彻党的二十大精神专题培训" in page and "1.5 hours" in page
    assert record(client, trainee.id, kind="group", hours="2",
                  held_on=date(TODAY.year - 1, 6, 1).isoformat()).status_code == 303
    assert hours.year_totals(db, trainee.id, TODAY.year)["central"] == 1.5
    assert hours.year_totals(db, trainee.id, TODAY.year - 1)["group"] == 2
    assert audit_count(db, trainee.id) == 2
    [central, group] = entries(db, trainee.id)
    assert (central.recorded_by_id, group.year) == (gb1_admin.id, TODAY.year - 1)
    page = client.get(f"/admin/people/{trainee.id}").get_data(as_text=True)
    assert "2 hours" not in page  # last year's session is not listed with this year's
    trainee_client = app.test_client()
    assert sign_in(trainee_client, "hours.trainee", "correct-horse-1").status_code == 302
    home = trainee_client.get("/").get_data(as_text=True)
    assert "集中培训 1.5" in home and "集体学习 0" in home


@pytest.mark.parametrize("fields, message", [
    ({"hours": "0"}, "Enter hours in steps of 0.25"),
    ({"hours": "0.3"}, "Enter hours in steps of 0.25"),
    ({"hours": "101"}, "Enter hours in steps of 0.25"),
    ({"hours": "NaN"}, "Enter hours in steps of 0.25"),
    ({"held_on": (TODAY + timedelta(days=2)).isoformat()}, "cannot be in the future"),
    ({"held_on": "not-a-date"}, "Not a valid date value"),
    ({"title": "   "}, "Enter what the session was"),
    ({"title": "学" * 201}, "Enter what the session was"),
    ({"kind": "online"}, "Choose central training or group study."),
    ({"kind": "party"}, "Choose central training or group study."),
])
def test_bad_input_is_a_400_next_to_the_field_and_writes_nothing(client, db, gb1_admin,
                                                                 trainee, fields, message):
    response = record(client, trainee.id, **fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert entries(db, trainee.id) == [] and audit_count(db, trainee.id) == 0


def test_an_admin_of_another_unit_is_refused(client, db, login_as, grant, make_user, trainee):
    entry = hours_entries.record_offline(db, _site_admin(db, make_user, grant),
                                         db.get(User, trainee.id), "group", 1, "支部学习", TODAY)
    admin_of(client, login_as, grant, GB2)
    assert record(client, trainee.id).status_code == 403
    assert remove(client, trainee.id, entry.id).status_code == 403
    assert [e.id for e in entries(db, trainee.id)] == [entry.id]
    outsider = db.scalar(select(User).where(User.username == "hours.outside"))
    assert remove(client, outsider.id, entry.id).status_code == 404  # not that person's entry


def _site_admin(db, make_user, grant) -> User:
    user, _ = make_user("trainee", unit=GB2)
    grant(user, site=True)
    return db.get(User, user.id)


def test_removal_is_confirmed_and_only_for_offline_entries(client, db, gb1_admin, trainee,
                                                           make_course):
    record(client, trainee.id)
    entry_id = entries(db, trainee.id)[0].id
    response = remove(client, trainee.id, entry_id, confirm=False)
    assert response.status_code == 400 and "Tick the box to confirm." in response.get_data(
        as_text=True)
    assert len(entries(db, trainee.id)) == 1
    assert remove(client, trainee.id, entry_id).status_code == 303
    assert entries(db, trainee.id) == [] and audit_count(db, trainee.id) == 2
    assert hours.year_totals(db, trainee.id, TODAY.year)["central"] == 0
    assert remove(client, trainee.id, entry_id).status_code == 404
    slug = make_course().slug
    course_id = db.scalar(select(Course.id).where(Course.slug == slug))
    online = hours.online_entry(db, trainee.id, course_id, TODAY.year)
    db.commit()
    assert remove(client, trainee.id, online.id).status_code == 400
    assert [e.kind for e in entries(db, trainee.id)] == [HoursKind.ONLINE.value]


def test_the_service_refuses_out_of_scope_and_bad_values(db, make_user, grant, trainee):
    outsider, _ = make_user("trainee", unit=GB2)
    grant(outsider, unit=GB2)
    actor = db.get(User, outsider.id)
    person = db.get(User, trainee.id)
    with pytest.raises(PermissionDenied):
        hours_entries.record_offline(db, actor, person, "central", 1, "党课", TODAY)
    site = _site_admin(db, make_user, grant)
    for kind, value, title, held_on, field in [
            ("online", 1, "党课", TODAY, "kind"), ("central", 0.3, "党课", TODAY, "hours"),
            ("central", 100.25, "党课", TODAY, "hours"), ("group", 1, "", TODAY, "title"),
            ("group", 1, "党课", TODAY + timedelta(days=2), "held_on")]:
        with pytest.raises(HoursEntryRefused) as refused:
            hours_entries.record_offline(db, site, person, kind, value, title, held_on)
        assert refused.value.field == field
    entry = hours_entries.record_offline(db, site, person, "group", 100, "党课", TODAY)
    assert entry.quarter_hours == 400 and find_unit(db, BRANCH).id == person.org_unit_id
    with pytest.raises(PermissionDenied):
        hours_entries.remove_offline(db, actor, entry.id)
