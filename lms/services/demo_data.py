"""Demo data at scale: an org tree, trainees, assignments, progress and attempts, in bulk.

For trying the admin room and benchmarking it (``flask lms demo-data``, ``make bench``):
100 000 people in minutes. Rows go in with Core bulk inserts, never through the per-event
services, which would take hours; so no event is raised and the statistics counters are
rebuilt from the raw rows at the end. Every person shares one password, hashed once.
Deterministic for a seed (names, units, progress); dates are relative to now.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, Enum, column, func, insert, or_, select, table, text
from sqlalchemy.orm import Session, selectinload

from lms.db import UTCDateTime, utcnow
from lms.models import (
    Assignment,
    Course,
    CourseUnitStats,
    Enrollment,
    HoursEntry,
    Module,
    ModuleProgress,
    ModuleUnitStats,
    OrgUnit,
    QuizAttempt,
    Role,
    ScoreBinStats,
    StudyBeat,
    User,
    WeeklyCompletionStats,
)
from lms.plugins import QuestionTypeRegistry
from lms.services.accounts import generate_password, hash_password
from lms.services.demo import DEMO_PEOPLE
from lms.services.demo_assign import PlannedAssignment, coverage, plan_assignments
from lms.services.demo_learning import (
    CourseModel,
    Cover,
    Learner,
    ModuleModel,
    Rows,
    simulate,
    study_record,
)
from lms.services.demo_names import NameMaker
from lms.services.demo_org import insert_units, plan_units
from lms.services.demo_quiz import quiz_model
from lms.services.errors import DomainError, NotFound
from lms.services.hours_rules import configured_rule
from lms.unit_of_work import transactional

DEMO_PREFIX = "demo:"
CHUNK = 5000
PEOPLE_PER_BATCH = 2000
#: Phases and their share of the work, for one progress bar.
PHASES = {"units": 1, "people": 6, "assignments": 1, "learning": 80, "counters": 12}
Progress = Callable[[str, int, int], None]


class DemoDataRefused(DomainError):
    status = 409


@dataclass(frozen=True)
class DemoSummary:
    units: int
    people: int
    enrollments: int
    completed: int
    attempts: int
    hours_entries: int
    password: str
    counters_rebuilt: bool


def real_people(session: Session) -> int:
    """Trainees and trainers who are neither demo data nor the built-in demo accounts."""
    return session.scalar(select(func.count()).select_from(User).where(
        User.role.in_([Role.TRAINEE, Role.TRAINER]),
        or_(User.external_id.is_(None), ~User.external_id.startswith(DEMO_PREFIX)),
        User.username.not_in([person.username for person in DEMO_PEOPLE]))) or 0


def demo_people(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User).where(
        User.external_id.startswith(DEMO_PREFIX))) or 0


def published_courses(session: Session, slugs: Sequence[str] = ()) -> list[Course]:
    """The courses to assign: those named, else every published one."""
    query = (select(Course).where(Course.version_id.is_not(None), Course.published)
             .order_by(Course.id)
             .options(selectinload(Course.modules).selectinload(Module.questions)))
    if slugs:
        courses = {c.slug: c for c in session.scalars(query.where(Course.slug.in_(slugs)))}
        missing = [slug for slug in slugs if slug not in courses]
        if missing:
            raise NotFound(f"no published course {', '.join(missing)}")
        return [courses[slug] for slug in dict.fromkeys(slugs)]
    return list(session.scalars(query))


def _sqlite_datetime(value: datetime) -> str:
    """As SQLAlchemy stores a UTC datetime in SQLite: "2026-05-04 08:30:00.000000"."""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:26]


class _Bulk:
    """Insert plain rows in chunks, straight to the driver: the columns are untyped and the
    values already in the form the database stores (SQLAlchemy's SQLite date format, enum
    values, JSON as text encoded once), because SQLAlchemy's per-value type processing would
    cost more than the insert itself."""

    def __init__(self, session: Session):
        self.session = session
        self.sqlite = session.get_bind().dialect.name == "sqlite"
        self.tables: dict[str, tuple[Any, list[tuple[str, Callable[[Any], Any]]]]] = {}

    def _converters(self, source: Any) -> list[tuple[str, Callable[[Any], Any]]]:
        found = []
        for c in source.columns:
            if isinstance(c.type, Enum):
                found.append((c.name, lambda v: v.value if isinstance(v, enum.Enum) else v))
            elif self.sqlite and isinstance(c.type, UTCDateTime):
                found.append((c.name, _sqlite_datetime))
            elif self.sqlite and isinstance(c.type, Date):
                found.append((c.name, date.isoformat))
        return found

    def __call__(self, model: type, rows: list[dict[str, Any]]) -> None:
        source = model.__table__
        if source.name not in self.tables:
            self.tables[source.name] = (
                table(source.name, *[column(c.name) for c in source.columns]),
                self._converters(source))
        target, converters = self.tables[source.name]
        for row in rows:  # rows are ours: converted in place
            for key, convert in converters:
                value = row.get(key)
                if value is not None:
                    row[key] = convert(value)
        for start in range(0, len(rows), CHUNK):
            self.session.execute(insert(target), rows[start:start + CHUNK])


@transactional
def create_demo_data(session: Session, registry: QuestionTypeRegistry, *, trainees: int,
                     seed: int, course_slugs: Sequence[str] = (), force: bool = False,
                     progress: Progress | None = None,
                     now: datetime | None = None) -> DemoSummary:
    report = progress or (lambda phase, done, total: None)
    if demo_people(session):
        raise DemoDataRefused("this database already holds demo data; start from an empty one")
    if not force and real_people(session):
        raise DemoDataRefused("this database holds real people; add --force to add demo data "
                              "beside them")
    courses = published_courses(session, course_slugs)
    if not courses:
        raise NotFound("no published course to assign: load the courses first")
    now = now or utcnow()

    taken = set(session.scalars(select(OrgUnit.name).where(OrgUnit.parent_id.is_(None))))
    plan = plan_units(random.Random(f"{seed}:units"), trainees, taken)
    insert_units(session, plan)
    report("units", 1, 1)

    password = generate_password()
    learners = _insert_people(session, random.Random(f"{seed}:people"), plan,
                              hash_password(password), now, report)

    models = [CourseModel(course.id, course.version_id, [
        ModuleModel(m.id, m.minutes, m.required,
                    quiz_model(registry, m, random.Random(f"{seed}:quiz:{course.slug}:{m.slug}")))
        for m in course.modules]) for course in courses]
    planned = plan_assignments(random.Random(f"{seed}:assignments"), plan, len(models), now)
    covers = coverage(plan, planned, len(models))
    bulk = _Bulk(session)
    bulk(Assignment, [
        {"course_id": models[a.course].course_id, "org_unit_id": plan[a.unit].id,
         "user_id": None, "due_on": a.due_on, "assigned_at": a.assigned_at,
         "removed_at": a.removed_at} for a in planned if a.unit is not None])
    report("assignments", 1, 1)

    rng = random.Random(f"{seed}:learning")
    personal: list[PlannedAssignment] = []
    totals = {"enrollments": 0, "completed": 0, "attempts": 0, "hours_entries": 0}
    course_of = {module.module_id: model.course_id for model in models
                 for module in model.modules}
    rule = configured_rule()
    for start in range(0, len(learners), PEOPLE_PER_BATCH):
        rows = Rows()
        for unit, learner, joined in learners[start:start + PEOPLE_PER_BATCH]:
            for index, model in enumerate(models):
                cover = _cover(rng, covers[unit][index], joined, now)
                if cover is None and rng.random() < 0.005:
                    due, at = _personal_due(rng, now)
                    personal.append(PlannedAssignment(index, None, due, at, learner.user_id))
                    cover = Cover(True, due, max(at, joined))
                if cover is not None:
                    simulate(rng, model, learner, cover, now, now.date(), rows)
        beats, hours = study_record(rows, course_of, rule)  # before the inserts convert rows
        bulk(Enrollment, rows.enrollments)
        bulk(ModuleProgress, rows.progress)
        bulk(QuizAttempt, rows.attempts)
        bulk(StudyBeat, beats)
        bulk(HoursEntry, hours)
        totals["hours_entries"] += len(hours)
        totals["enrollments"] += len(rows.enrollments)
        totals["completed"] += sum(1 for e in rows.enrollments if e["completed_at"])
        totals["attempts"] += len(rows.attempts)
        report("learning", min(start + PEOPLE_PER_BATCH, len(learners)), len(learners))
    bulk(Assignment, [
        {"course_id": models[a.course].course_id, "org_unit_id": None, "user_id": a.user_id,
         "due_on": a.due_on, "assigned_at": a.assigned_at, "removed_at": None}
        for a in personal])

    # Fresh statistics, so the planner picks the selective index on so many new rows (SQLite
    # otherwise scans a module's attempts per progress row while recounting). Table by table:
    # a database-wide ANALYZE on PostgreSQL also locks the shared catalogs until commit.
    for model in (OrgUnit, User, Assignment, Enrollment, ModuleProgress, QuizAttempt,
                  StudyBeat, HoursEntry):
        session.execute(text(f"ANALYZE {model.__tablename__}"))
    rebuilt = _rebuild_counters(session, lambda done, total: report("counters", done, total))
    for model in (CourseUnitStats, ModuleUnitStats, ScoreBinStats, WeeklyCompletionStats):
        session.execute(text(f"ANALYZE {model.__tablename__}"))
    return DemoSummary(units=len(plan), people=len(learners), password=password,
                       counters_rebuilt=rebuilt, **totals)


def _cover(rng: random.Random, unit_cover, joined: datetime, now: datetime) -> Cover | None:
    if unit_cover is not None:
        due, at = unit_cover
        return Cover(True, due, max(at, joined))
    if rng.random() < 0.08:  # found it in the catalogue and enrolled themselves
        return Cover(False, None, max(joined, now - timedelta(days=rng.uniform(1, 80))))
    return None


def _personal_due(rng: random.Random, now: datetime):
    at = now - timedelta(days=rng.uniform(7, 60))
    return (now.date() + timedelta(days=rng.choice((-10, 10, 20))) if rng.random() < 0.8
            else None), at


def _insert_people(session: Session, rng: random.Random, plan, password_hash: str,
                   now: datetime, report: Progress) -> list[tuple[int, Learner, datetime]]:
    """Insert every planned person; return (unit index, learner, joined) in insert order."""
    names = NameMaker(rng)
    people: list[tuple[int, str, float, float, datetime]] = []
    rows = []
    for index, unit in enumerate(plan):
        for _ in range(unit.people):
            name, username = names.person()
            joined = now - timedelta(days=rng.uniform(100, 900))
            seen = rng.random()
            rows.append({
                "username": username, "display_name": name, "password_hash": password_hash,
                "role": Role.TRAINEE, "org_unit_id": unit.id, "active": rng.random() > 0.01,
                "must_change_password": False, "external_id": f"{DEMO_PREFIX}{username}",
                "phone": names.phone(), "created_at": joined,
                "last_active_at": now - timedelta(days=60 * seen) if seen < 0.85 else None,
            })
            people.append((index, username, unit.engagement, rng.gauss(0, 1), joined))
    bulk = _Bulk(session)
    for start in range(0, len(rows), CHUNK):
        bulk(User, rows[start:start + CHUNK])
        report("people", min(start + CHUNK, len(rows)), len(rows) + 1)
    ids = {external_id: user_id for external_id, user_id in session.execute(
        select(User.external_id, User.id).where(User.external_id.startswith(DEMO_PREFIX)))}
    report("people", 1, 1)
    return [(index, Learner(ids[f"{DEMO_PREFIX}{username}"], engagement,
                            ability + engagement), joined)
            for index, username, engagement, ability, joined in people]


def _rebuild_counters(session: Session, progress: Callable[[int, int], None]) -> bool:
    """Fill the statistics counters from the rows just written; False if the counter code is
    not there yet (then `flask lms stats rebuild` does it later)."""
    try:
        from lms.services.stats_rebuild import rebuild
    except ImportError:
        try:
            from lms.services.stats_counters import rebuild
        except ImportError:
            return False
    rebuild(session, progress=progress)
    return True
