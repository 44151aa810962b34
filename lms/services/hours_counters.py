"""Keep the 学时 counters (``UnitHoursStats``) exact, in the transaction that changes an entry.

Unlike the completion counters, which are rolled up the tree, an hours row counts the people
*directly* in its unit (as migration 0016 filled them): a subtree's figure is the sum of the
rows of the units whose id path starts with the subtree's path, one indexed range over units
(never over people or entries), and moving a unit rewrites no hours row.

Each ``HoursEntry`` remembers in ``counted_unit_id`` / ``counted_quarter_hours`` what it adds
now. ``count_entries`` applies the difference between that and what it should add (its
hours, in its person's current unit; nothing once removed), so it can be called after any
change, any number of times. Every writer of entries calls it: online credit
(``hours``), offline entries (``hours_entries``, and so the import), the yearly replay
(``hours_recompute``), a person's move (``handlers.hours_ledger``); ``rebuild`` recounts all.
An entry's year and kind never change, so they key both what it added and what it adds.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import case, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lms.models import HoursEntry, UnitHoursStats, User
from lms.services.locks import lock_person

Key = tuple[int, int, str]   # (org_unit_id, year, kind)
CHUNK = 500


def count_entries(session: Session, entries: Iterable[HoursEntry], *,
                  removed: bool = False) -> None:
    """Bring the counters in line with ``entries`` (``removed``: about to be deleted).

    The caller holds each entry's row lock (or created it), so no other transaction moves
    the same difference. The people's rows are locked too (``FOR NO KEY UPDATE`` in id order,
    as ``stats_counters.refresh_people`` does), then their unit read: a concurrent move (which
    updates the row) and a new entry queue, so the entry is never counted under the unit just
    left, where the move's recount (which cannot see an uncommitted entry) would leave it."""
    entries = list(entries)
    if not entries:
        return
    session.flush()
    users = sorted({entry.user_id for entry in entries})
    unit_of: dict[int, int | None] = {}
    for start in range(0, len(users), CHUNK):
        unit_of.update(session.execute(select(User.id, User.org_unit_id)
                                       .where(User.id.in_(users[start:start + CHUNK]))
                                       .order_by(User.id).with_for_update(key_share=True)).all())
    deltas: dict[Key, list[int]] = {}
    for entry in entries:
        if entry.counted_unit_id is not None:
            _add(deltas, (entry.counted_unit_id, entry.year, entry.kind),
                 -(entry.counted_quarter_hours or 0), -1)
        unit = None if removed else unit_of.get(entry.user_id)
        entry.counted_unit_id = unit
        entry.counted_quarter_hours = (entry.quarter_hours or 0) if unit is not None else 0
        if unit is not None:
            _add(deltas, (unit, entry.year, entry.kind), entry.counted_quarter_hours, +1)
    _apply(session, deltas)


def _add(deltas: dict[Key, list[int]], key: Key, quarters: int, entries: int) -> None:
    total = deltas.setdefault(key, [0, 0])
    total[0] += quarters
    total[1] += entries


def _apply(session: Session, deltas: dict[Key, list[int]]) -> None:
    """Upsert the changed rows in key order (two units of work never deadlock here)."""
    rows = [{"org_unit_id": key[0], "year": key[1], "kind": key[2], "quarter_hours": q,
             "entries": n} for key, (q, n) in sorted(deltas.items()) if q or n]
    if not rows:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    table = UnitHoursStats.__table__
    statement = dialect.insert(table)
    session.execute(statement.on_conflict_do_update(
        index_elements=["org_unit_id", "year", "kind"],
        set_={"quarter_hours": table.c.quarter_hours + statement.excluded.quarter_hours,
              "entries": table.c.entries + statement.excluded.entries}), rows)
    session.flush()


def count_person(session: Session, user_id: int) -> None:
    """Recount everything ``user_id`` has (after a move: their entries follow them).

    The person's row is locked first (the move's update holds it already), as a heartbeat
    locks it first (``lms.services.locks``): a beat creating this person's first entry of a
    course finishes before (and is seen here) or waits for this unit (and reads the new
    unit)."""
    lock_person(session, user_id)
    entries = session.scalars(
        select(HoursEntry).where(HoursEntry.user_id == user_id).order_by(HoursEntry.id)
        .with_for_update().execution_options(populate_existing=True)).all()
    count_entries(session, entries)


def rebuild(session: Session) -> None:
    """Recount every hours row from the entries, set-based (``flask lms stats rebuild``)."""
    session.flush()
    unit = select(User.org_unit_id).where(User.id == HoursEntry.user_id).scalar_subquery()
    session.execute(update(HoursEntry).values(
        counted_unit_id=unit,
        counted_quarter_hours=case((unit.is_(None), 0), else_=HoursEntry.quarter_hours))
        .execution_options(synchronize_session=False))
    session.execute(delete(UnitHoursStats))
    session.execute(insert(UnitHoursStats).from_select(
        ["org_unit_id", "year", "kind", "quarter_hours", "entries"],
        select(HoursEntry.counted_unit_id, HoursEntry.year, HoursEntry.kind,
               func.sum(HoursEntry.counted_quarter_hours), func.count())
        .where(HoursEntry.counted_unit_id.is_not(None))
        .group_by(HoursEntry.counted_unit_id, HoursEntry.year, HoursEntry.kind)))
    session.expire_all()
