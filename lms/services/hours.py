"""The 学时 ledger's online entries, kept in the transaction that earns them.

A heartbeat that credits study time (lms.services.study_time) adds it to the person's entry
for that course and year; a passed test marks it (lms.handlers.hours_ledger). The hours are
the configured rule (lms.services.hours_rules) applied to what the entry holds, so the
trainee's record, the dashboard and a certificate agree the moment the time is earned.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from lms.db import fetch, utcnow
from lms.models import HoursEntry, HoursKind
from lms.services.course_completion import complete_if_enough_hours, lock_enrollment
from lms.services.hours_counters import count_entries
from lms.services.hours_rules import Rule, configured_rule  # noqa: F401  (re-exported)
from lms.services.locks import lock_row


def year_of(moment: datetime) -> int:
    """The calendar year of the server's day, as due dates are (lms.services.assignments)."""
    return moment.astimezone().year


def online_entry(session: Session, user_id: int, course_id: int, year: int) -> HoursEntry:
    """The person's online entry for the course and year, locked until the unit ends: a beat
    and a passed test of the same course never write over each other's change."""
    # The person's row is taken first (lms.services.locks), then the enrollment: a course
    # completed by these 学时 is decided under its lock.
    lock_enrollment(session, user_id, course_id)
    return lock_row(session, HoursEntry, user_id=user_id, course_id=course_id, year=year,
                    kind=HoursKind.ONLINE.value)


def add_study_time(session: Session, user_id: int, course_id: int, at: datetime,
                   seconds: int) -> HoursEntry:
    entry = online_entry(session, user_id, course_id, year_of(at))
    entry.active_seconds = (entry.active_seconds or 0) + seconds
    _apply(entry)
    count_entries(session, [entry])
    complete_if_enough_hours(session, user_id, course_id, now=at)
    return entry


def record_test_passed(session: Session, user_id: int, course_id: int,
                       at: datetime) -> HoursEntry:
    entry = online_entry(session, user_id, course_id, year_of(at))
    entry.test_passed = True
    _apply(entry)
    count_entries(session, [entry])
    complete_if_enough_hours(session, user_id, course_id, now=at)
    return entry


def _apply(entry: HoursEntry, rule: Rule | None = None) -> None:
    entry.quarter_hours = (rule or configured_rule())(entry.active_seconds or 0,
                                                      bool(entry.test_passed))
    entry.updated_at = utcnow()


#: Built once, with its cache key: every trainee home asks it.
_YEAR_BY_KIND = (select(HoursEntry.kind, func.sum(HoursEntry.quarter_hours))
                 .where(HoursEntry.user_id == bindparam("user_id"),
                        HoursEntry.year == bindparam("year"))
                 .group_by(HoursEntry.kind))


def year_totals(session: Session, user_id: int, year: int) -> dict[str, float]:
    """学时 of one person's year by kind (online, central, group), and the total."""
    rows = fetch(session, _YEAR_BY_KIND, {"user_id": user_id, "year": year}).all()
    totals = {kind.value: 0.0 for kind in HoursKind}
    totals.update({kind: (quarters or 0) / 4 for kind, quarters in rows})
    totals["total"] = sum(totals[kind.value] for kind in HoursKind)
    return totals
