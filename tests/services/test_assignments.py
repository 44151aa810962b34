"""Assignments: who holds an assigned course, with which due date, as people and units move."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, insert, select, text

from lms.models import (
    AdminAction,
    Assignment,
    Course,
    Enrollment,
    ModuleProgress,
    OrgUnit,
    ProgressStatus,
    Role,
    User,
)
from lms.services import assignments, catalog, org_admin, people_admin, progress
from lms.services.assignments import AssignmentRefused
from lms.services.errors import PermissionDenied
from lms.services.org import find_unit
from tests.test_query_budgets import Recorded

ROOT = "派课党委"
GB1 = "派课党委/第一党总支"
B1 = "派课党委/第一党总支/第一党支部"
B2 = "派课党委/第一党总支/第二党支部"
GB2 = "派课党委/第二党总支"
B3 = "派课党委/第二党总支/第三党支部"
SOON = date.today() + timedelta(days=30)
LATER = date.today() + timedelta(days=60)


@pytest.fixture
def site_admin(db, make_user, grant):
    user, _ = make_user("trainee", unit=None)
    grant(user, site=True)
    return db.get(User, user.id)


@pytest.fixture
def people(db, make_user):
    """Ann in 第一党总支/第一党支部, Bo directly in 第一党总支, Cy in 第二党总支/第三党支部."""
    made = {name: make_user("trainee", unit=unit, name=name)[0].id
            for name, unit in (("ann", B1), ("bo", GB1), ("cy", B3))}
    make_user("trainee", unit=B2)  # so 第二党支部 exists
    return {name: db.get(User, user_id) for name, user_id in made.items()}


@pytest.fixture
def units(db, people):
    return {path: find_unit(db, path) for path in (ROOT, GB1, B1, B2, GB2, B3)}


@pytest.fixture
def course(db, make_course):
    made = make_course([{"slug": "one"}, {"slug": "two"}])
    return catalog.get_course(db, made.slug)


def held(db, user: User, course: Course) -> tuple[bool, date | None] | None:
    """(assigned, due_on) of the person's enrollment, or None without one."""
    db.expire_all()
    row = db.scalar(select(Enrollment).where(Enrollment.user_id == user.id,
                                             Enrollment.course_id == course.id))
    return None if row is None else (row.assigned, row.due_on)


def test_a_unit_assignment_reaches_its_subtree_and_people_who_join_later(
        db, site_admin, people, units, course):
    made, = assignments.assign_course(db, site_admin, course, unit=units[GB1], due_on=SOON)
    assert made.org_unit_id == units[GB1].id and made.assigned_by_id == site_admin.id
    assert held(db, people["ann"], course) == (True, SOON)
    assert held(db, people["bo"], course) == (True, SOON)
    assert held(db, people["cy"], course) is None

    newcomer, _ = people_admin.create_person(db, site_admin, username="newcomer",
                                             display_name="新人", unit=units[B2], role="trainee")
    assert held(db, newcomer, course) == (True, SOON)
    people_admin.move_person(db, site_admin, people["cy"], units[B1])
    assert held(db, people["cy"], course) == (True, SOON)


def test_moving_out_clears_the_flag_and_keeps_progress(db, site_admin, people, units, course):
    assignments.assign_course(db, site_admin, course, unit=units[GB1], due_on=SOON)
    ann = people["ann"]
    progress.record_visit(db, ann, course.modules[0])
    people_admin.move_person(db, site_admin, ann, units[B3])
    assert held(db, ann, course) == (False, None)
    status = db.scalar(select(ModuleProgress.status).where(
        ModuleProgress.user_id == ann.id, ModuleProgress.module_id == course.modules[0].id))
    assert status is ProgressStatus.COMPLETED


def test_a_subtree_moved_under_an_assigned_unit_gets_its_courses(db, site_admin, people, units,
                                                                 course):
    assignments.assign_course(db, site_admin, course, unit=units[GB1])
    org_admin.move_unit(db, site_admin, units[B3], units[GB1])
    assert held(db, people["cy"], course) == (True, None)


def test_the_earliest_due_date_wins_and_assigning_again_changes_it(db, site_admin, people,
                                                                   units, course):
    on_root, = assignments.assign_course(db, site_admin, course, unit=units[ROOT], due_on=LATER)
    assignments.assign_course(db, site_admin, course, unit=units[GB1], due_on=SOON)
    assert held(db, people["ann"], course) == (True, SOON)
    assert held(db, people["cy"], course) == (True, LATER)

    again, = assignments.assign_course(db, site_admin, course, unit=units[GB1], due_on=None)
    active = db.scalar(select(func.count(Assignment.id)).where(
        Assignment.org_unit_id == units[GB1].id, Assignment.removed_at.is_(None)))
    assert active == 1 and again.due_on is None
    assert held(db, people["ann"], course) == (True, LATER)  # the root's date is left

    assignments.unassign(db, site_admin, on_root)
    assert held(db, people["ann"], course) == (True, None)  # 第一党总支's, without a date
    assert held(db, people["cy"], course) == (False, None)


def test_unassign_keeps_records_and_progress(db, site_admin, people, units, course):
    made, = assignments.assign_course(db, site_admin, course, unit=units[GB1], due_on=SOON)
    progress.record_visit(db, people["ann"], course.modules[0])
    assignments.unassign(db, site_admin, made)
    db.expire_all()
    assert db.get(Assignment, made.id).removed_at is not None
    assert held(db, people["ann"], course) == (False, None)
    assert held(db, people["bo"], course) == (False, None)  # the row stays, unassigned
    assert db.scalar(select(ModuleProgress.status).where(
        ModuleProgress.user_id == people["ann"].id)) is ProgressStatus.COMPLETED
    with pytest.raises(AssignmentRefused) as refused:
        assignments.unassign(db, site_admin, db.get(Assignment, made.id))
    assert refused.value.reason == "already_removed"
    actions = list(db.scalars(select(AdminAction.action).where(
        AdminAction.target_kind == "assignment", AdminAction.target_id == made.id)
        .order_by(AdminAction.id)))
    assert actions == ["course_assigned", "course_unassigned"]


def test_a_person_assignment_reaches_only_that_person(db, site_admin, people, units, course):
    made, = assignments.assign_course(db, site_admin, course, people=[people["cy"]],
                                      due_on=SOON)
    assert made.user_id == people["cy"].id and made.org_unit_id is None
    assert held(db, people["cy"], course) == (True, SOON)
    assert held(db, people["ann"], course) is None
    audit = db.scalar(select(AdminAction).where(AdminAction.action == "course_assigned",
                                                AdminAction.target_id == made.id))
    assert audit.org_unit_path == units[B3].path  # filed under the person's unit
    # The person's assignment follows them when they move.
    people_admin.move_person(db, site_admin, people["cy"], units[B1])
    assert held(db, people["cy"], course) == (True, SOON)


def test_refusals(db, site_admin, people, units, course, make_user, grant):
    with pytest.raises(AssignmentRefused) as refused:
        assignments.assign_course(db, site_admin, course, unit=units[GB1],
                                  due_on=date.today() - timedelta(days=1))
    assert refused.value.reason == "due_in_past" and refused.value.field == "due_on"
    with pytest.raises(AssignmentRefused) as refused:
        assignments.assign_course(db, site_admin, course, unit=units[GB1], people=[people["cy"]])
    assert refused.value.reason == "one_target"
    with pytest.raises(AssignmentRefused):
        assignments.assign_course(db, site_admin, course)

    gb1_admin, _ = make_user("trainee", unit=B1)
    grant(gb1_admin, unit=GB1)
    gb1_admin = db.get(User, gb1_admin.id)
    with pytest.raises(PermissionDenied):
        assignments.assign_course(db, gb1_admin, course, unit=units[GB2])
    with pytest.raises(PermissionDenied):
        assignments.assign_course(db, gb1_admin, course, people=[people["cy"]])
    assert db.scalar(select(func.count(Assignment.id)).where(
        Assignment.course_id == course.id)) == 0
    assignments.assign_course(db, gb1_admin, course, unit=units[B1])  # inside: fine

    course.published = False
    db.commit()
    with pytest.raises(AssignmentRefused) as refused:
        assignments.assign_course(db, site_admin, db.get(Course, course.id), unit=units[GB1])
    assert refused.value.reason == "unpublished"


def _bulk_people(db, unit: OrgUnit, count: int, tag: str) -> None:
    db.execute(insert(User), [{"username": f"{tag}{n}", "display_name": f"学员{n}",
                               "role": Role.TRAINEE, "org_unit_id": unit.id}
                              for n in range(count)])
    db.commit()


def test_assigning_to_a_big_unit_is_set_based(app, db, site_admin, units, make_course):
    """2 000 people cost the statements 20 people do: no query per person."""
    small, big = (org_admin.create_unit(db, site_admin, units[GB2], name, "branch")
                  for name in ("小支部", "大支部"))
    _bulk_people(db, small, 20, "small")
    _bulk_people(db, big, 2000, "big")
    bind = app.extensions["lms"].sessionmaker.kw["bind"]
    if bind.dialect.name == "postgresql":
        # Statistics as autovacuum would leave them after a bulk import: with the empty-table
        # estimates left by earlier tests' ANALYZE, one run under xdist planned the sync's
        # UPDATE as nested loops over 2 000 rows and never finished.
        db.execute(text("ANALYZE lms_users, lms_enrollments, lms_org_units, lms_assignments"))
        db.commit()

    def statements(unit: OrgUnit) -> Recorded:
        course = catalog.get_course(db, make_course([{}]).slug)
        unit = db.get(OrgUnit, unit.id)
        recorded = Recorded()

        def record(conn, cursor, statement, parameters, context, executemany):
            recorded.statements.append(statement)

        event.listen(bind, "before_cursor_execute", record)
        try:
            assignments.assign_course(db, site_admin, course, unit=unit, due_on=SOON)
        finally:
            event.remove(bind, "before_cursor_execute", record)
        covered = db.scalar(select(func.count(Enrollment.id)).where(
            Enrollment.course_id == course.id, Enrollment.assigned, Enrollment.due_on == SOON))
        assert covered == (20 if unit.id == small.id else 2000)
        return recorded

    few, many = statements(small), statements(big)
    assert len(many) == len(few), many.report()
