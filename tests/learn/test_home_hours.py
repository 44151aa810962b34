"""The trainee's home shows the year's 学时 against the target for their duty."""

from __future__ import annotations

import re
from datetime import date

from lms.models import User
from lms.services import hours_entries, people_admin
from tests.admin.test_people_views import english

BAR = re.compile(r'<div class="progress hours-progress" role="progressbar"[^>]*'
                 r'aria-valuenow="(\d+)" aria-valuetext="([^"]*)"')


def give_hours(db, make_user, person, hours, duty="member"):
    admin, _ = make_user("admin", unit=None, username=f"site-{person.username}")
    actor = db.get(User, admin.id)
    person = db.get(User, person.id)
    people_admin.update_person(db, actor, person, duty=duty)
    if hours:
        hours_entries.record_offline(db, actor, person, "central", hours, "党校轮训",
                                     date(date.today().year, 1, 2))


def home(client) -> str:
    english(client)
    return client.get("/").get_data(as_text=True)


def test_a_member_sees_how_many_hours_are_left(client, db, login_as, make_user):
    user = login_as()
    give_hours(db, make_user, user, "12.5")
    page = home(client)
    assert "Yearly target for a Party member: 32 hours" in page
    assert "19.5 hours to go" in page and "Target reached" not in page
    assert BAR.search(page).groups() == ("39", "12.5 of 32 hours · 19.5 hours to go")


def test_a_secretary_who_reached_the_target_is_told_so(client, db, login_as, make_user):
    user = login_as()
    give_hours(db, make_user, user, "60", duty="secretary")
    page = home(client)
    assert "Yearly target for a Branch secretary or committee member: 56 hours" in page
    assert "Target reached" in page and "hours to go" not in page
    assert BAR.search(page).group(1) == "100"


def test_the_targets_are_a_setting(app, client, db, login_as, make_user):
    user = login_as()
    give_hours(db, make_user, user, None, duty="cadre")
    previous = app.config["LMS_HOURS_TARGETS"]
    app.config["LMS_HOURS_TARGETS"] = {**previous, "cadre": 12}
    try:
        page = home(client)
    finally:
        app.config["LMS_HOURS_TARGETS"] = previous
    assert "12 hours to go" in page and BAR.search(page).group(1) == "0"
