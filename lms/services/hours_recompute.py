"""Replay a year's online 学时 from the record: heartbeats and passed tests.

The crediting rule is a setting; after changing it, ``flask lms hours recompute --year Y``
rewrites that year's online entries from the stored beats (their credited seconds) and the
attempts that passed, in slices of people, each slice one unit of work. Offline entries
(集中培训, 集体学习) are the admins' and are left alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from lms.models import HoursEntry, HoursKind, Module, QuizAttempt, StudyBeat
from lms.services.hours_rules import Rule
from lms.unit_of_work import unit_of_work

SLICE = 500


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The server's calendar year as instants (as lms.services.hours.year_of counts)."""
    return datetime(year, 1, 1).astimezone(), datetime(year + 1, 1, 1).astimezone()


@dataclass(frozen=True)
class Replay:
    """What the record says a year's online entries are: seconds and passes per (person,
    course), and every person whose entries are rewritten (also those left with none)."""

    year: int
    seconds: dict[tuple[int, int], int]
    passed: set[tuple[int, int]]
    people: list[int]

    @property
    def keys(self) -> list[tuple[int, int]]:
        return sorted(set(self.seconds) | self.passed)


def read_year(session: Session, year: int) -> Replay:
    start, end = year_bounds(year)
    seconds: dict[tuple[int, int], int] = defaultdict(int)
    for user_id, course_id, total in session.execute(
            select(StudyBeat.user_id, Module.course_id, func.sum(StudyBeat.credited))
            .join(Module, Module.id == StudyBeat.module_id)
            .where(StudyBeat.received_at >= start, StudyBeat.received_at < end)
            .group_by(StudyBeat.user_id, Module.course_id)):
        seconds[(user_id, course_id)] = int(total or 0)
    passed_at = func.coalesce(QuizAttempt.reviewed_at, QuizAttempt.submitted_at)
    passed = {(user_id, course_id) for user_id, course_id in session.execute(
        select(QuizAttempt.user_id, Module.course_id).distinct()
        .join(Module, Module.id == QuizAttempt.module_id)
        .where(QuizAttempt.passed.is_(True), passed_at >= start, passed_at < end))}
    people = sorted({user_id for user_id, _ in set(seconds) | passed} | set(session.scalars(
        select(HoursEntry.user_id).distinct().where(
            HoursEntry.year == year, HoursEntry.kind == HoursKind.ONLINE.value))))
    session.commit()  # end the read; each slice written is its own unit of work
    return Replay(year, dict(seconds), passed, people)


def write_year(session: Session, replay: Replay, rule: Rule) -> Iterator[int]:
    """Rewrite the entries slice by slice, yielding how many people each slice held."""
    year, seconds, passed, keys = replay.year, replay.seconds, replay.passed, replay.keys
    for chunk in _slices(replay.people):
        with unit_of_work(session):
            session.execute(delete(HoursEntry).where(
                HoursEntry.year == year, HoursEntry.kind == HoursKind.ONLINE.value,
                HoursEntry.user_id.in_(chunk)))
            members = set(chunk)
            session.add_all(
                HoursEntry(user_id=user_id, course_id=course_id, year=year,
                           kind=HoursKind.ONLINE.value,
                           active_seconds=seconds.get((user_id, course_id), 0),
                           test_passed=(user_id, course_id) in passed,
                           quarter_hours=rule(seconds.get((user_id, course_id), 0),
                                              (user_id, course_id) in passed))
                for user_id, course_id in keys if user_id in members)
        yield len(chunk)


def _slices(people: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(people), SLICE):
        yield people[start:start + SLICE]
