"""Assignments and overrides through the pages: the admin assigns, the trainee sees it."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from lms.models import (
    AdminAction,
    Assignment,
    CompletionOverride,
    Course,
    Enrollment,
    ModuleProgress,
    User,
)
from lms.services import accounts, assignments, people_admin
from lms.services.org import find_unit
from tests.conftest import post_form, sign_in

ROOT = "页面党委"
GB1 = "页面党委/第一党总支"
BRANCH = "页面党委/第一党总支/第一党支部"
GB2 = "页面党委/第二党总支"
DUE = date.today() + timedelta(days=40)
PASSWORD = "correct-horse-1"


@pytest.fixture
def tree(db, make_user):
    """Ann in 第一党总支/第一党支部, Cy in 第二党总支; returns units and people by name."""
    ann, _ = make_user("trainee", unit=BRANCH, name="安")
    cy, _ = make_user("trainee", unit=GB2, name="丛")
    units = {path: find_unit(db, path) for path in (ROOT, GB1, BRANCH, GB2)}
    return {"units": units, "ann": db.get(User, ann.id), "cy": db.get(User, cy.id)}


@pytest.fixture
def gb1_admin(client, login_as, grant, tree):
    user = login_as("trainee", unit=BRANCH, name="组织委员")
    grant(user, unit=GB1)
    return user


@pytest.fixture
def courses(db, make_course):
    made = [make_course([{"slug": "one"}, {"slug": "two"}], title=title)
            for title in ("甲课程", "乙课程", "丙课程")]
    return {m.title: db.scalar(select(Course).where(Course.slug == m.slug)) for m in made}


def home_of(app, user: User) -> str:
    """The trainee's home page, in a browser of their own."""
    browser = app.test_client()
    assert sign_in(browser, user.username, PASSWORD).status_code == 302
    return browser.get("/").get_data(as_text=True)


def assigned_section(page: str) -> str:
    match = re.search(r'<section aria-labelledby="assigned-heading">(.*?)</section>', page, re.S)
    return match.group(1) if match else ""


def test_assigning_to_a_unit_reaches_everyone_in_its_subtree(app, db, client, make_user, grant,
                                                             gb1_admin, tree, courses):
    course = courses["甲课程"]
    unit = tree["units"][GB1]
    response = post_form(client, f"/admin/units/{unit.id}/assignments",
                         {"course_id": course.id, "due_on": DUE.isoformat()},
                         token_from=f"/admin/units/{unit.id}")
    assert response.status_code == 303
    page = client.get(f"/admin/units/{unit.id}").get_data(as_text=True)
    assert "甲课程" in page and DUE.isoformat() in page and "组织委员" in page

    site = site_admin(db, make_user, grant)
    joiner, _ = people_admin.create_person(db, site, username="joiner", display_name="新来的",
                                           unit=tree["units"][BRANCH], role="trainee")
    accounts.set_password(db, None, joiner, PASSWORD)
    mover = people_admin.move_person(db, site, tree["cy"], tree["units"][BRANCH])
    for person in (tree["ann"], joiner, mover):
        section = assigned_section(home_of(app, person))
        assert "甲课程" in section and DUE.isoformat() in section, person.username


def site_admin(db, make_user, grant) -> User:
    user, _ = make_user("trainee", unit=None)
    grant(user, site=True)
    return db.get(User, user.id)


def test_home_orders_by_due_date_and_marks_the_overdue(app, db, client, gb1_admin, tree,
                                                       courses):
    unit = tree["units"][BRANCH]
    for title, due in (("甲课程", DUE), ("乙课程", None), ("丙课程", DUE)):
        data = {"course_id": courses[title].id, "due_on": due.isoformat() if due else ""}
        response = post_form(client, f"/admin/units/{unit.id}/assignments", data,
                             token_from="/admin/")
        assert response.status_code == 303
    past = date.today() - timedelta(days=3)  # the form refuses past dates: set it directly
    course = courses["丙课程"]
    db.execute(update(Assignment).where(Assignment.course_id == course.id).values(due_on=past))
    db.execute(update(Enrollment).where(Enrollment.course_id == course.id).values(due_on=past))
    db.commit()
    section = assigned_section(home_of(app, tree["ann"]))
    positions = [section.index(title) for title in ("丙课程", "甲课程", "乙课程")]
    assert positions == sorted(positions), "overdue first, then by due date, no date last"
    overdue = section[:positions[1]]
    assert "badge-overdue" in overdue and past.isoformat() in overdue
    assert "badge-overdue" not in section[positions[1]:]


def test_the_form_refuses_a_past_due_date_and_outsiders(db, client, gb1_admin, tree, courses):
    unit = tree["units"][GB1]
    yesterday = date.today() - timedelta(days=1)
    response = post_form(client, f"/admin/units/{unit.id}/assignments",
                         {"course_id": courses["甲课程"].id, "due_on": yesterday.isoformat()},
                         token_from="/admin/")
    assert response.status_code == 400
    assert 'id="assign-due-error"' in response.get_data(as_text=True)
    outside = tree["units"][GB2]
    response = post_form(client, f"/admin/units/{outside.id}/assignments",
                         {"course_id": courses["甲课程"].id}, token_from="/admin/")
    assert response.status_code == 403
    assert client.get(f"/admin/people/{tree['cy'].id}/courses").status_code == 403
    response = post_form(client, f"/admin/people/{tree['cy'].id}/courses/assign",
                         {"course_id": courses["甲课程"].id}, token_from="/admin/")
    assert response.status_code == 403
    assert db.scalar(select(func.count(Assignment.id))) == 0


def test_a_person_assignment_and_its_withdrawal(app, db, client, gb1_admin, tree, courses):
    ann = tree["ann"]
    url = f"/admin/people/{ann.id}/courses"
    response = post_form(client, f"{url}/assign", {"course_id": courses["乙课程"].id,
                                                   "due_on": DUE.isoformat()})
    assert response.status_code == 303
    assert "乙课程" in assigned_section(home_of(app, ann))
    made = db.scalar(select(Assignment).where(Assignment.user_id == ann.id))
    response = post_form(client, f"/admin/assignments/{made.id}/unassign", {}, token_from=url)
    assert response.status_code == 400  # the box was not ticked
    response = post_form(client, f"/admin/assignments/{made.id}/unassign", {"confirm": "y"},
                         token_from=url)
    assert response.status_code == 303 and response.location.endswith(url)
    assert "乙课程" not in assigned_section(home_of(app, ann))
    assert db.scalar(select(Enrollment.id).where(Enrollment.user_id == ann.id)) is not None


def test_an_override_is_shown_to_the_trainee_and_audited(app, db, client, gb1_admin, tree,
                                                         courses):
    ann, course = tree["ann"], courses["甲课程"]
    first, second = course.modules
    url = f"/admin/people/{ann.id}/courses"
    assert client.get(url).status_code == 200
    response = post_form(client, f"{url}/override",
                         {"target": f"module-{first.id}", "reason": "线下学习第一节"})
    assert response.status_code == 303
    response = post_form(client, f"{url}/override",
                         {"target": f"course-{course.id}", "reason": "参加了集中培训"})
    assert response.status_code == 303
    assert "参加了集中培训" in client.get(url).get_data(as_text=True)

    browser = app.test_client()
    sign_in(browser, ann.username, PASSWORD)
    page = browser.get(f"/courses/{course.slug}").get_data(as_text=True)
    assert "线下学习第一节" in page and "参加了集中培训" in page
    assert "notice-done" in page  # the course is completed
    assert db.scalar(select(ModuleProgress.id).where(ModuleProgress.user_id == ann.id,
                                                     ModuleProgress.module_id == second.id))
    audit = db.scalars(select(AdminAction.after).where(
        AdminAction.action == "completion_overridden", AdminAction.target_id == ann.id)
        .order_by(AdminAction.id)).all()
    assert [row["reason"] for row in audit] == ["线下学习第一节", "参加了集中培训"]
    again = post_form(client, f"{url}/override",
                      {"target": f"course-{course.id}", "reason": "重复"})
    assert again.status_code == 409


def test_an_override_without_a_reason_writes_nothing(db, client, gb1_admin, tree, courses):
    ann, course = tree["ann"], courses["甲课程"]
    url = f"/admin/people/{ann.id}/courses"
    response = post_form(client, f"{url}/override",
                         {"target": f"course-{course.id}", "reason": "   "})
    assert response.status_code == 400
    assert 'id="override-reason-error"' in response.get_data(as_text=True)
    assert db.scalar(select(func.count(CompletionOverride.id))) == 0
    assert db.scalar(select(Enrollment.id).where(Enrollment.user_id == ann.id)) is None
    response = post_form(client, f"/admin/people/{tree['cy'].id}/courses/override",
                         {"target": f"course-{course.id}", "reason": "越权"}, token_from=url)
    assert response.status_code == 403


def test_the_home_page_reads_assignments_without_writing_or_growing(db, client, make_user, grant,
                                                                    tree, courses,
                                                                    count_queries):
    site = site_admin(db, make_user, grant)
    branch = tree["units"][BRANCH]
    assignments.assign_course(db, site, courses["甲课程"], unit=branch, due_on=DUE)
    assert sign_in(client, tree["ann"].username, PASSWORD).status_code == 302
    client.get("/")  # the courses' content is read once, then kept (lms.services.course_views)
    page, one = count_queries("/")
    assert "甲课程" in assigned_section(page.get_data(as_text=True))
    assert one.writes == [], one.report()

    assignments.assign_course(db, site, courses["乙课程"], unit=branch)
    assignments.assign_course(db, site, courses["丙课程"], people=[tree["ann"]], due_on=DUE)
    page, three = count_queries("/")
    section = assigned_section(page.get_data(as_text=True))
    assert all(title in section for title in courses)
    assert three.writes == [] and len(three) == len(one), three.report()
