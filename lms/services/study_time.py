"""Active study time from heartbeats, credited so that it can never exceed the wall clock.

The module page beats about every 30 s while it is visible and the trainee has interacted
recently (lms/static/study.js). A beat credits the time since the person's previous accepted
beat, whichever tab or device sent that one, and only when both were for the same module:

* at most ``beat_cap`` seconds per beat, so a page left open and a sleeping laptop add little;
* one person has one clock (``StudyClock``, locked per beat): two tabs or two devices share
  it, so their beats split the time between them instead of doubling it;
* a module's credited time stops at ``cap_multiple`` × its estimated minutes;
* a beat repeated, older than its tab's last one, or claiming to come from the future credits
  nothing and is not stored.

Only the server's clock is used for time; the page's own time only rejects beats from the
future (a clock set ahead, or a forged request).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from lms.content.course_rules import course_rules
from lms.db import fetch, utcnow
from lms.models import Module, ModuleProgress, StudyBeat, StudyClock, User
from lms.services import hours
from lms.services.locks import lock_module, lock_row
from lms.services.progress import complete_after_study, enroll
from lms.unit_of_work import transactional

#: A beat sent more than this ahead of the server's clock is from the future.
CLOCK_SKEW = timedelta(seconds=5)
TAB_LENGTH = 32


@dataclass(frozen=True)
class Beat:
    """What the page sends: its tab id, the beat's number in that tab, the page's clock, and
    how far down the module the trainee is (0–1, or None)."""

    tab: str
    seq: int
    sent_at: datetime | None = None
    position: float | None = None


@dataclass(frozen=True)
class BeatResult:
    credited: int          # seconds this beat added
    seconds_active: int    # the module's credited total now
    ignored: str | None    # why nothing was recorded: "future", "repeated", or None


@dataclass(frozen=True)
class _Target:
    """What a beat needs of the person and the module, taken from the rows the request read
    before the write unit began: that unit expires every loaded row, and re-reading the
    module, its course and the person only for these would double a beat's statements. A
    publish between the two reads changes at most the cap of this one beat."""

    user_id: int
    module_id: int
    course_id: int
    room_seconds: int     # the module's cap on credited time
    by_minutes: bool      # the module completes on its minutes of study


def record_beat(session: Session, user: User, module: Module, beat: Beat, *,
                beat_cap: int, cap_multiple: float, now: datetime | None = None) -> BeatResult:
    """Credit one beat for ``module``; the caller has checked the person may study it.
    ``cap_multiple`` is the site's; a course's own ``rules.time_cap`` wins over it."""
    multiple = course_rules(module.course).time_cap or cap_multiple
    target = _Target(user.id, module.id, module.course_id, int(module.minutes * 60 * multiple),
                     module.min_minutes is not None)
    return _record(session, user, module, target, beat, beat_cap=beat_cap, now=now)


@transactional(durable=False)  # the browser beats again; a lost beat loses seconds
def _record(session: Session, user: User, module: Module, target: _Target, beat: Beat, *,
            beat_cap: int, now: datetime | None) -> BeatResult:
    # The module, the person's row, then the clock (lms.services.locks): a move of this
    # person or a publish of the course at the same moment queues with the beat.
    user_id, module_id = target.user_id, target.module_id
    lock_module(session, module_id)
    clock = lock_row(session, StudyClock, user_id=user_id)
    # The time is read under the lock: a beat that waited for another tab's never takes a
    # moment from before that one's (which would credit the same seconds twice).
    now = now or utcnow()
    if beat.sent_at is not None and beat.sent_at > now + CLOCK_SKEW:
        return _ignored(session, target, "future")
    last_seq = fetch(session, _LAST_SEQ, {"user_id": user_id, "tab": beat.tab}).scalar()
    if last_seq is not None and beat.seq <= last_seq:
        return _ignored(session, target, "repeated")
    enroll(session, user_id, target.course_id)
    progress = lock_row(session, ModuleProgress, user_id=user_id, module_id=module_id)
    credit, carry = 0, 0
    behind = clock.last_beat_at is not None and now <= clock.last_beat_at
    if clock.module_id == module_id and clock.last_beat_at is not None and not behind:
        gap_ms = int((now - clock.last_beat_at) / timedelta(milliseconds=1)) + (clock.carry_ms or 0)
        room = target.room_seconds - progress.seconds_active
        credit = max(0, min(gap_ms // 1000, beat_cap, room))
        carry = gap_ms - credit * 1000 if credit == gap_ms // 1000 else 0
    progress.seconds_active += credit
    if credit:
        hours.add_study_time(session, user_id, target.course_id, now, credit)
    if beat.position is not None:
        progress.read_position = beat.position
    # Written past the ORM, as every beat writes both (its flush cost as much as the rest of
    # the unit); the clock's loaded row is told what it now holds.
    fetch(session, _KEEP_BEAT, {"user_id": user_id, "module_id": module_id, "tab": beat.tab,
                                "seq": beat.seq, "received_at": now, "credited": credit})
    if not behind:  # the clock never moves back
        moved = {"module_id": module_id, "last_beat_at": now, "carry_ms": max(0, carry)}
        fetch(session, _MOVE_CLOCK, {"clock_user_id": user_id, **moved})
        for name, value in moved.items():
            set_committed_value(clock, name, value)
    if target.by_minutes:  # only then may this beat be what completes the module
        complete_after_study(session, user, module, progress, now=now)
    return BeatResult(credit, progress.seconds_active, None)


_BEATS, _CLOCKS = StudyBeat.__table__, StudyClock.__table__
#: Built once, with their cache keys: every beat runs them. Their parameters take their
#: columns' types from ``values``.
_KEEP_BEAT = _BEATS.insert().values(
    {name: bindparam(name)
     for name in ("user_id", "module_id", "tab", "seq", "received_at", "credited")})
_MOVE_CLOCK = _CLOCKS.update().where(_CLOCKS.c.user_id == bindparam("clock_user_id")).values(
    {name: bindparam(name) for name in ("module_id", "last_beat_at", "carry_ms")})
_LAST_SEQ = select(func.max(StudyBeat.seq)).where(StudyBeat.user_id == bindparam("user_id"),
                                                  StudyBeat.tab == bindparam("tab"))


def _ignored(session: Session, target: _Target, reason: str) -> BeatResult:
    seconds = session.scalar(select(ModuleProgress.seconds_active).where(
        ModuleProgress.user_id == target.user_id, ModuleProgress.module_id == target.module_id))
    return BeatResult(0, seconds or 0, reason)
