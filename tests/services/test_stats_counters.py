"""The completion counters kept in each transaction equal a recount from the raw rows."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, select

from lms.models import (
    Assignment,
    CourseUnitStats,
    Enrollment,
    ModuleUnitStats,
    OrgUnit,
    ScoreBinStats,
    User,
    WeeklyCompletionStats,
)
from lms.services import (
    accounts,
    assignments,
    catalog,
    org_admin,
    overrides,
    people_admin,
    progress,
    quizzes,
    stats_rebuild,
)
from lms.services.errors import DomainError
from lms.services.stats_counters import COUNTERS
from lms.unit_of_work import unit_of_work

RIGHT = {"q1": ["1"], "q2": ["0", "2"], "q3": ["false"], "q4": ["四个坚持"]}
WRONG = {"q1": ["0"], "q2": ["1"], "q3": ["true"], "q4": ["不知道"]}
UNITS = ["统计党委/第一党总支/第一党支部", "统计党委/第一党总支/第二党支部",
         "统计党委/第二党总支/第一党支部", "统计党委/第二党总支"]


def counters(db) -> dict[str, dict[tuple, tuple]]:
    """Every counter row with a non-zero value (a decrement may leave a row of zeros)."""
    db.expire_all()
    result = {}
    for table, (keys, values) in COUNTERS.items():
        rows = db.execute(select(*(table.c[k] for k in keys), *(table.c[v] for v in values)))
        result[table.name] = {
            tuple(row[: len(keys)]): tuple(round(v, 6) for v in row[len(keys):])
            for row in rows if any(row[len(keys):])}
    return result


def rebuilt(db) -> dict[str, dict[tuple, tuple]]:
    with unit_of_work(db):
        stats_rebuild.rebuild(db)
    return counters(db)


def take_quiz(db, registry, user, module, rng) -> None:
    answers = {key: (RIGHT if rng.random() < 0.6 else WRONG)[key] for key in RIGHT}
    try:
        with unit_of_work(db):
            attempt = quizzes.start_or_resume(db, registry, user, module)
        with unit_of_work(db):
            quizzes.submit_attempt(db, registry, user, attempt.id, answers)
    except DomainError:
        pass  # out of attempts: a trainee would see that message, the counters must not care


def move_a_unit(db, admin, rng) -> None:
    branch = db.scalar(select(OrgUnit).where(OrgUnit.name == "第二党支部"))
    targets = [u for u in db.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_not(None)))
               if not u.path.startswith(branch.path) and u.id != branch.parent_id]
    if targets:
        org_admin.move_unit(db, admin, branch, rng.choice(targets))


def administer(db, admin, person, rng) -> None:
    """One admin action: move, (de)activate, assign, unassign or override."""
    units = list(db.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_not(None))))
    course = catalog.get_course(db, "demo")
    choice = rng.randrange(6)
    if choice == 0:
        people_admin.move_person(db, admin, person, rng.choice(units))
    elif choice == 1:
        people_admin.set_person_active(db, admin, person, not person.active)
    elif choice == 2:
        due = date.today() + timedelta(days=rng.choice([1, 30]))
        assignments.assign_course(db, admin, course, unit=rng.choice(units), due_on=due)
    elif choice == 3:
        assignments.assign_course(db, admin, course, people=[person],
                                  due_on=rng.choice([None, date.today() + timedelta(days=3)]))
    elif choice == 4:
        active = list(db.scalars(select(Assignment).where(Assignment.removed_at.is_(None))))
        if active:
            assignments.unassign(db, admin, rng.choice(active))
    else:
        module = rng.choice([None, *course.modules])
        overrides.override_completion(db, admin, person, course, module=module,
                                      reason="线下集中培训")


def test_a_random_workload_keeps_every_counter_equal_to_a_recount(app, db, make_user, grant):
    rng = random.Random(20261125)
    admin, _ = make_user("trainee", unit=UNITS[0], username="stats-admin")
    grant(admin, site=True)
    people = [make_user(unit=rng.choice(UNITS), username=f"p{n}")[0] for n in range(10)]
    registry = app.extensions["lms"].question_types
    demo = catalog.get_course(db, "demo")
    modules = list(demo.modules)
    for _step in range(90):
        user = db.get(User, rng.choice(people).id)
        action = rng.random()
        if action < 0.35:
            with unit_of_work(db):
                progress.record_visit(db, user, rng.choice(modules))
        elif action < 0.65:
            take_quiz(db, registry, user, modules[0], rng)
        elif action < 0.7:
            move_a_unit(db, db.get(User, admin.id), rng)
        else:
            try:
                administer(db, db.get(User, admin.id), user, rng)
            except DomainError:
                pass  # refused (already complete, inactive unit…): nothing may have moved

    kept = counters(db)
    assert kept[CourseUnitStats.__tablename__], "the workload counted nothing"
    assert kept[ModuleUnitStats.__tablename__] and kept[ScoreBinStats.__tablename__]
    assert kept == rebuilt(db)
    # And both agree with a plain count of the raw rows: a root's rows count its whole tree,
    # and every unit's rows count exactly the people of its subtree.
    roots = set(db.scalars(select(OrgUnit.id).where(OrgUnit.parent_id.is_(None))))
    course_rows = kept[CourseUnitStats.__tablename__]
    learners = sum(v[0] for k, v in course_rows.items() if k[1] in roots)
    completed = sum(v[3] for k, v in course_rows.items() if k[1] in roots)
    for unit in db.scalars(select(OrgUnit)):
        in_subtree = db.scalar(select(func.count(Enrollment.id)).join(
            User, User.id == Enrollment.user_id).join(OrgUnit, OrgUnit.id == User.org_unit_id)
            .where(OrgUnit.path.startswith(unit.path)))
        assert sum(v[0] for k, v in course_rows.items() if k[1] == unit.id) == in_subtree
    assert learners == db.scalar(select(func.count(Enrollment.id)))
    assert completed == db.scalar(select(func.count(Enrollment.id))
                                  .where(Enrollment.completed_at.is_not(None)))
    assert completed == sum(v[0] for k, v in kept[WeeklyCompletionStats.__tablename__].items()
                            if k[1] in roots)


def test_rebuild_restores_counters_someone_damaged(db, make_user):
    user, _ = make_user(unit=UNITS[0])
    demo = catalog.get_course(db, "demo")
    with unit_of_work(db):
        progress.record_visit(db, db.get(User, user.id), demo.modules[1])
    kept = counters(db)
    with unit_of_work(db):
        for row in db.scalars(select(CourseUnitStats)):
            row.learners += 5
    assert counters(db) != kept
    assert rebuilt(db) == kept


def test_stats_rebuild_command_repairs_the_counters(runner, db, make_user):
    user, _ = make_user(unit=UNITS[1])
    with unit_of_work(db):
        progress.record_visit(db, db.get(User, user.id), catalog.get_course(db, "demo").modules[1])
    kept = counters(db)
    with unit_of_work(db):
        for row in db.scalars(select(ModuleUnitStats)):
            row.opened = 0
    result = runner.invoke(args=["lms", "stats", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "已根据原始记录重新计数" in result.output
    assert counters(db) == kept
    missing = runner.invoke(args=["lms", "stats", "rebuild", "--course", "nope"])
    assert missing.exit_code != 0 and "nope" in missing.output


def test_people_the_host_app_creates_or_moves_get_assignments_and_are_counted(
        db, make_user, grant):
    admin, _ = make_user(unit=UNITS[0], username="host-admin")
    grant(admin, site=True)
    course = catalog.get_course(db, "demo")
    with unit_of_work(db):
        first = accounts.sync_host_user(db, accounts.HostIdentity(
            external_id="host-1", username="host1", display_name="宿主学员",
            role="trainee", unit_path=UNITS[0]))
        progress.record_visit(db, first, course.modules[1])
    with unit_of_work(db):  # the person moves there once the unit holds the course
        other = accounts.ensure_unit_path(db, UNITS[1])
    assignments.assign_course(db, db.get(User, admin.id), course, unit=other)
    with unit_of_work(db):
        accounts.sync_host_user(db, accounts.HostIdentity(
            external_id="host-1", username="host1", display_name="宿主学员",
            role="trainee", unit_path=UNITS[1]))
        later = accounts.sync_host_user(db, accounts.HostIdentity(
            external_id="host-2", username="host2", display_name="新来的",
            role="trainee", unit_path=UNITS[1]))
    held = {row.user_id: row.assigned for row in db.scalars(
        select(Enrollment).where(Enrollment.course_id == course.id))}
    assert held[first.id] is True and held[later.id] is True
    assert counters(db) == rebuilt(db)
