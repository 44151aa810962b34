"""Replay a year's online 学时 from the record: heartbeats and passed tests.

The crediting rule is a setting; after changing it, ``flask lms hours recompute --year Y``
rewrites that year's online entries from the stored beats (their credited seconds) and the
attempts that passed, in slices of people, each slice one unit of work. A slice first locks
its people's study clocks, so their beats wait for it, then reads their record and updates
their entries in place: a trainee studying meanwhile loses nothing. Offline entries (集中培训,
集体学习) are the admins' and are left alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.models import HoursEntry, HoursKind, Module, QuizAttempt, StudyBeat
from lms.services import hours_counters
from lms.services.hours_rules import Rule
from lms.services.locks import lock_people
from lms.unit_of_work import unit_of_work

SLICE = 500
ONLINE = HoursKind.ONLINE.value


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The server's calendar year as instants (as lms.services.hours.year_of counts)."""
    return datetime(year, 1, 1).astimezone(), datetime(year + 1, 1, 1).astimezone()


def people_of_year(session: Session, year: int) -> list[int]:
    """Everyone whose online entries the replay may change: who studied or passed a test
    that year, or has an online entry for it."""
    start, end = year_bounds(year)
    studied = select(StudyBeat.user_id).where(StudyBeat.received_at >= start,
                                              StudyBeat.received_at < end)
    passed = select(QuizAttempt.user_id).where(QuizAttempt.passed.is_(True),
                                               _passed_at() >= start, _passed_at() < end)
    entered = select(HoursEntry.user_id).where(HoursEntry.year == year,
                                               HoursEntry.kind == ONLINE)
    people = sorted(set(session.scalars(studied.union(passed, entered))))
    session.commit()  # end the read; each slice written is its own unit of work
    return people


def write_year(session: Session, year: int, people: list[int], rule: Rule) -> Iterator[int]:
    """Rewrite the entries slice by slice, yielding how many people each slice held."""
    for start in range(0, len(people), SLICE):
        chunk = people[start:start + SLICE]
        with unit_of_work(session):
            _write_slice(session, year, chunk, rule)
        yield len(chunk)


def _write_slice(session: Session, year: int, chunk: list[int], rule: Rule) -> None:
    lock_people(session, chunk)  # a heartbeat of theirs waits, or is seen (locks.py)
    start, end = year_bounds(year)
    seconds = {(user_id, course_id): int(total or 0) for user_id, course_id, total in
               session.execute(
                   select(StudyBeat.user_id, Module.course_id, func.sum(StudyBeat.credited))
                   .join(Module, Module.id == StudyBeat.module_id)
                   .where(StudyBeat.user_id.in_(chunk), StudyBeat.received_at >= start,
                          StudyBeat.received_at < end)
                   .group_by(StudyBeat.user_id, Module.course_id))}
    passed = {(user_id, course_id) for user_id, course_id in session.execute(
        select(QuizAttempt.user_id, Module.course_id).distinct()
        .join(Module, Module.id == QuizAttempt.module_id)
        .where(QuizAttempt.user_id.in_(chunk), QuizAttempt.passed.is_(True),
               _passed_at() >= start, _passed_at() < end))}
    entries = {(e.user_id, e.course_id): e for e in session.scalars(
        select(HoursEntry).where(HoursEntry.user_id.in_(chunk), HoursEntry.year == year,
                                 HoursEntry.kind == ONLINE).with_for_update())}
    written = []
    for key in set(seconds) | passed:
        entry = entries.pop(key, None) or HoursEntry(
            user_id=key[0], course_id=key[1], year=year, kind=ONLINE)
        entry.active_seconds, entry.test_passed = seconds.get(key, 0), key in passed
        entry.quarter_hours = rule(entry.active_seconds, entry.test_passed)
        session.add(entry)
        written.append(entry)
    hours_counters.count_entries(session, written)
    hours_counters.count_entries(session, entries.values(), removed=True)
    for stale in entries.values():  # nothing in the record backs it
        session.delete(stale)


def _passed_at():
    return func.coalesce(QuizAttempt.reviewed_at, QuizAttempt.submitted_at)


def count_entries(session: Session, year: int) -> int:
    return session.scalar(select(func.count()).select_from(HoursEntry).where(
        HoursEntry.year == year, HoursEntry.kind == ONLINE)) or 0
