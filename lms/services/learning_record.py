"""学习档案: one person's courses, 学时 by year and type, best scores and certificates.

The page, the PDF and the workbook all draw this one structure, so the three never disagree
with each other or with the 学时 ledger they are read from. It is read with a fixed handful
of set-based queries (enrollments, progress, ledger entries, closed rounds, certificates, the
unit's name), however many courses and years the person has. A recurring course's earlier
rounds come from ``CourseCycle``: reopening the course clears its completion, not the record.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.models import (
    Certificate,
    Course,
    CourseCycle,
    Enrollment,
    HoursEntry,
    HoursKind,
    Module,
    ModuleProgress,
    User,
)
from lms.services.org import name_path
from lms.services.stats_people import PersonStatus, status_of

KINDS = tuple(kind.value for kind in HoursKind)


@dataclass(frozen=True)
class QuizScore:
    """The best score of one quiz module, as kept on the person's progress."""

    module_title: str
    best_score: float


@dataclass(frozen=True)
class CourseLine:
    slug: str
    title: str
    #: Days as the server's calendar has them (as 学时 years are: ``hours.year_of``).
    enrolled_on: date
    completed_on: date | None
    due_on: date | None
    status: PersonStatus
    #: 网络培训 学时 the course earned, over every year.
    hours: float
    scores: tuple[QuizScore, ...]

    @property
    def average_score(self) -> float | None:
        """The mean of the best scores over the quiz modules taken (None: no quiz taken)."""
        if not self.scores:
            return None
        return sum(score.best_score for score in self.scores) / len(self.scores)


@dataclass(frozen=True)
class YearHours:
    """学时 of one calendar year (or of all years) by type."""

    year: int | None
    online: float = 0.0
    central: float = 0.0
    group: float = 0.0

    @property
    def total(self) -> float:
        return self.online + self.central + self.group


@dataclass(frozen=True)
class OfflineLine:
    title: str
    held_on: date | None
    kind: str
    hours: float


@dataclass(frozen=True)
class CertificateLine:
    code: str
    course_title: str
    completed_on: date
    hours: float
    cycle: int
    revoked: bool


@dataclass(frozen=True)
class RoundLine:
    """A closed round of a recurring course, as it stood when the next round opened."""

    title: str
    cycle: int
    started_on: date
    completed_on: date
    due_on: date | None


@dataclass(frozen=True)
class LearningRecord:
    name: str
    username: str
    unit: str
    courses: tuple[CourseLine, ...]
    #: Newest year first.
    years: tuple[YearHours, ...]
    totals: YearHours
    #: 集中培训 and 集体学习, latest session first.
    offline: tuple[OfflineLine, ...]
    #: Latest first, revoked ones included (marked).
    certificates: tuple[CertificateLine, ...]
    #: Closed rounds of recurring courses, latest completion first.
    rounds: tuple[RoundLine, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.courses or self.years or self.certificates or self.rounds)


def learning_record(session: Session, person: User, today: date) -> LearningRecord:
    """Read ``person``'s record; ``today`` decides which assigned courses are overdue."""
    entries = session.execute(
        select(HoursEntry.year, HoursEntry.kind, HoursEntry.quarter_hours, HoursEntry.course_id,
               HoursEntry.title, HoursEntry.held_on)
        .where(HoursEntry.user_id == person.id).order_by(HoursEntry.id.desc())).all()
    course_quarters: dict[int, int] = defaultdict(int)
    year_quarters: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(KINDS, 0))
    offline = []
    for entry in entries:
        year_quarters[entry.year][entry.kind] += entry.quarter_hours
        if entry.kind == HoursKind.ONLINE.value:
            course_quarters[entry.course_id] += entry.quarter_hours
        else:
            offline.append(OfflineLine(entry.title, entry.held_on, entry.kind,
                                       entry.quarter_hours / 4))
    offline.sort(key=lambda line: line.held_on or date.min, reverse=True)
    years = tuple(_year(year, year_quarters[year]) for year in sorted(year_quarters, reverse=True))
    return LearningRecord(
        name=person.display_name, username=person.username,
        unit=name_path(session, person.org_unit) if person.org_unit is not None else "",
        courses=_courses(session, person, course_quarters, today), years=years,
        totals=_year(None, {kind: sum(quarters[kind] for quarters in year_quarters.values())
                            for kind in KINDS}),
        offline=tuple(offline), certificates=_certificates(session, person),
        rounds=_rounds(session, person))


def _year(year: int | None, quarters: dict[str, int]) -> YearHours:
    return YearHours(year, *(quarters[kind] / 4 for kind in KINDS))


def _courses(session: Session, person: User, course_quarters: dict[int, int],
             today: date) -> tuple[CourseLine, ...]:
    """Every enrolled course, latest first: one query for the courses, one for progress."""
    started: set[int] = set()
    scores: dict[int, list[QuizScore]] = defaultdict(list)
    for row in session.execute(
            select(Module.course_id, Module.title, ModuleProgress.best_score)
            .join(Module, ModuleProgress.module_id == Module.id)
            .where(ModuleProgress.user_id == person.id)
            # Modules a later version dropped keep their scores, after the current ones.
            .order_by(Module.course_id, Module.position.is_(None), Module.position, Module.id)):
        started.add(row.course_id)
        if row.best_score is not None:
            scores[row.course_id].append(QuizScore(row.title, row.best_score))
    lines = []
    for enrollment, title, slug in session.execute(
            select(Enrollment, Course.title, Course.slug)
            .join(Course, Enrollment.course_id == Course.id)
            .where(Enrollment.user_id == person.id)
            .order_by(Enrollment.enrolled_at.desc(), Enrollment.id.desc())):
        lines.append(CourseLine(
            slug=slug, title=title, enrolled_on=_day(enrollment.enrolled_at),
            completed_on=_day(enrollment.completed_at) if enrollment.completed_at else None,
            due_on=enrollment.due_on,
            status=status_of(assigned=enrollment.assigned, due_on=enrollment.due_on,
                             completed_at=enrollment.completed_at,
                             started=enrollment.course_id in started, today=today),
            hours=course_quarters.get(enrollment.course_id, 0) / 4,
            scores=tuple(scores.get(enrollment.course_id, ()))))
    return tuple(lines)


def _day(moment: datetime) -> date:
    return moment.astimezone().date()


def _rounds(session: Session, person: User) -> tuple[RoundLine, ...]:
    return tuple(
        RoundLine(title, c.cycle, _day(c.started_at), _day(c.completed_at), c.due_on)
        for c, title in session.execute(
            select(CourseCycle, Course.title).join(Course, CourseCycle.course_id == Course.id)
            .where(CourseCycle.user_id == person.id)
            .order_by(CourseCycle.completed_at.desc(), CourseCycle.id.desc())))


def _certificates(session: Session, person: User) -> tuple[CertificateLine, ...]:
    return tuple(
        CertificateLine(c.code, c.course_title, c.completed_on, c.quarter_hours / 4, c.cycle,
                        c.revoked_at is not None)
        for c in session.scalars(
            select(Certificate).where(Certificate.user_id == person.id)
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())))
