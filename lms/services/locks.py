"""Row locks taken in one order, so two units of work on one person queue, never deadlock.

The lock order, on every path that changes a person's records (PostgreSQL; SQLite's
``BEGIN IMMEDIATE`` already serialises writers, so there this costs nothing):

0. a trainee's own action on a module (a beat, a visit, a quiz, a grade) first holds the
   module row (``FOR KEY SHARE``, ``lock_module``, as a row referencing it would later). A
   publish renumbers the course's modules (a key update, which blocks such references) and
   then completes and recounts people, so the trainee's unit waits for it here, before it
   holds the person's row the publish is about to lock;
1. the person's row (``lms_users``, ``FOR NO KEY UPDATE``), before any other row lock of
   the unit; several people in ascending id order (``lock_people``);
2. then their own rows, in whatever order the work needs: study clock, module progress,
   quiz attempts, enrollments, 学时 entries, certificates. Holding the person's row, no
   other unit can be taking them, so their order no longer matters;
3. last, the shared counter rows, in key order (``stats_counters``, ``hours_counters``).

A move, a deactivation or an edit updates the person's row, which takes the same lock, so it
queues with the person's heartbeat, quiz submission, grading, 学时 records and completions
instead of deadlocking with them. ``FOR NO KEY UPDATE``, not ``FOR UPDATE``: inserting a row
that references the person takes ``KEY SHARE``, which it lets through. A set-based unit that
takes no person lock (a unit-wide assignment) locks one kind of row (enrollments), then
counters, which keeps it inside the order.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TypeVar

from sqlalchemy import Select, bindparam, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.models import Enrollment, HoursEntry, Module, ModuleProgress, StudyClock, User
from lms.unit_of_work import current_unit

Row = TypeVar("Row", Enrollment, HoursEntry, ModuleProgress, StudyClock)
LOCKED = "locks.people"
LOCKED_ROWS = "locks.rows"
#: People per locking statement (bound parameters stay well under SQLite's limit).
CHUNK = 500


def lock_person(session: Session, user_id: int) -> None:
    """Lock the person's row until the unit of work ends; call it before any other lock of
    the unit. Once per unit (later calls are free); nothing to do on SQLite."""
    lock_people(session, [user_id])


def lock_module(session: Session, module_id: int) -> None:
    """Hold the module row (``FOR KEY SHARE``, as a row referencing it would) until the unit
    ends; call it before ``lock_person``. Nothing to do on SQLite."""
    lock_modules(session, [module_id])


def lock_modules(session: Session, module_ids: Iterable[int]) -> None:
    """``lock_module`` for several modules, in id order."""
    ids = sorted(set(module_ids))
    if session.get_bind().dialect.name == "postgresql" and ids:
        session.execute(select(Module.id).where(Module.id.in_(ids)).order_by(Module.id)
                        .with_for_update(read=True, key_share=True)).all()


def lock_people(session: Session, user_ids: Iterable[int]) -> None:
    """Lock these people's rows in id order (a bulk unit: an import, a recount, a publish),
    before any other lock of the unit. What is read about them afterwards is current: a
    concurrent move has committed, or it waits for this unit."""
    ids = sorted(set(user_ids))
    unit = current_unit(session)
    held: set[int] = unit.scratch.setdefault(LOCKED, set()) if unit is not None else set()
    if session.get_bind().dialect.name != "postgresql" or held.issuperset(ids):
        return
    for start in range(0, len(ids), CHUNK):
        session.execute(select(User.id).where(User.id.in_(ids[start:start + CHUNK]))
                        .order_by(User.id).with_for_update(key_share=True)).all()
    held.update(ids)


@cache
def _by_keys(model: type[Row], names: tuple[str, ...], *, locked: bool) -> Select:
    """The statement reading ``model`` by these keys, built once (with its cache key) for
    every unit that reads or locks a person's row this way."""
    statement = select(model).where(*(getattr(model, name) == bindparam(name)
                                      for name in names))
    if locked:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return statement


def _read(session: Session, model: type[Row], keys: dict, *, locked: bool = False) -> Row | None:
    rows = session.scalars(_by_keys(model, tuple(sorted(keys)), locked=locked), keys)
    return rows.one_or_none() if locked else rows.first()


def get_or_create(session: Session, model: type[Row], **keys) -> tuple[Row, bool]:
    """Fetch the row with these unique keys or insert it; a racing insert loses cleanly."""
    row = _read(session, model, keys)
    if row is not None:
        return row, False
    try:
        with session.begin_nested():
            row = model(**keys)
            session.add(row)
        return row, True
    except IntegrityError:
        row = _read(session, model, keys)
        if row is None:
            raise
        return row, False


def find_locked(session: Session, model: type[Row], **keys) -> Row | None:
    """The person's row of ``model`` with these unique keys (``user_id`` among them), locked
    until the unit ends, their person's row first; None when there is none yet. A row this
    unit locked already is not read again: nobody else can have changed it since."""
    lock_person(session, keys["user_id"])
    held = _held(session)
    row = held.get(_key(model, keys))
    if row is not None and inspect(row).persistent:
        return row
    row = _read(session, model, keys, locked=True)
    if row is not None:
        held[_key(model, keys)] = row
    return row


def lock_row(session: Session, model: type[Row], **keys) -> Row:
    """``find_locked``, inserting the row when there is none: one statement when it exists,
    two when it does not (the new row is this unit's until it commits)."""
    row = find_locked(session, model, **keys)
    if row is not None:
        return row
    try:
        with session.begin_nested():
            row = model(**keys)
            session.add(row)
    except IntegrityError:  # a racing unit inserted it first; the read waits for its commit
        row = find_locked(session, model, **keys)
        if row is None:
            raise
        return row
    _held(session)[_key(model, keys)] = row
    return row


def _held(session: Session) -> dict:
    unit = current_unit(session)
    return unit.scratch.setdefault(LOCKED_ROWS, {}) if unit is not None else {}


def _key(model: type[Row], keys: dict) -> tuple:
    return model, tuple(sorted(keys.items()))
