"""集中培训 and 集体学习: the 学时 admins record for offline sessions, and take back.

An admin records hours for the same people they may edit (``people_admin.may_manage``), so
the person page's forms and this service agree on who is in reach. The hours count in the
year the session was held. Each change raises ``OfflineHoursChanged``: the audit log keeps
who recorded or removed what. Online entries are the app's own (``lms.services.hours``)
and are never removed here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.db import MAX_ID, utcnow
from lms.events import OfflineHoursChanged
from lms.models import HoursEntry, HoursKind, User
from lms.services.assignments import today
from lms.services.errors import InvalidInput, NotFound, PermissionDenied
from lms.services.hours_counters import count_entries
from lms.services.locks import lock_person
from lms.services.people_admin import may_manage
from lms.services.permissions import scope_of
from lms.unit_of_work import raise_event, transactional

OFFLINE_KINDS = (HoursKind.CENTRAL.value, HoursKind.GROUP.value)
HOURS_MAX = 100
TITLE_MAX = 200


class HoursEntryRefused(InvalidInput):
    """Input the rules refuse; ``field`` (kind, hours, title, held_on) says which."""


def quarter_hours(hours: object) -> int | None:
    """``hours`` (a number or its text) in quarter hours, or None unless it is a multiple of
    0.25 from 0.25 to 100."""
    try:
        value = Decimal(str(hours).strip())
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or not 0 < value <= HOURS_MAX or (value * 4) % 1:
        return None
    return int(value * 4)


def _require_manage(session: Session, actor: User, person: User) -> None:
    if not may_manage(session, scope_of(session, actor), person):
        raise PermissionDenied(f"not allowed to record hours for person {person.id}")


def _event(actor: User, entry: HoursEntry, removed: bool) -> OfflineHoursChanged:
    return OfflineHoursChanged(
        actor_id=actor.id, user_id=entry.user_id, entry_id=entry.id, kind=entry.kind,
        hours=entry.hours, title=entry.title,
        held_on=entry.held_on.isoformat() if entry.held_on else "", removed=removed)


@transactional
def record_offline(session: Session, actor: User, person: User, kind: str, hours: object,
                   title: str, held_on: date) -> HoursEntry:
    """Add an offline entry (kind ``central`` or ``group``) to ``person``'s 学时."""
    lock_person(session, person.id)
    _require_manage(session, actor, person)
    kind = str(kind)
    if kind not in OFFLINE_KINDS:
        raise HoursEntryRefused(f"kind must be one of {OFFLINE_KINDS}, not {kind!r}", "kind")
    quarters = quarter_hours(hours)
    if quarters is None:
        raise HoursEntryRefused(f"hours must be a multiple of 0.25 from 0.25 to {HOURS_MAX}, "
                                f"not {hours!r}", "hours")
    title = (title or "").strip()
    if not 0 < len(title) <= TITLE_MAX:
        raise HoursEntryRefused(f"a title is 1 to {TITLE_MAX} characters", "title")
    if not isinstance(held_on, date) or held_on > today():
        raise HoursEntryRefused(f"the date held must be a day not in the future, not "
                                f"{held_on!r}", "held_on")
    entry = HoursEntry(user_id=person.id, year=held_on.year, kind=kind, quarter_hours=quarters,
                       title=title, held_on=held_on, recorded_by_id=actor.id,
                       updated_at=utcnow())
    session.add(entry)
    session.flush()
    count_entries(session, [entry])
    raise_event(session, _event(actor, entry, removed=False))
    return entry


@transactional
def remove_offline(session: Session, actor: User, entry_id: int,
                   person_id: int | None = None) -> HoursEntry:
    """Delete offline entry ``entry_id`` (of ``person_id``, when given); online entries are
    refused, as they are derived from study time and tests passed."""
    # Locked, after its person's row: of two removals of one entry, the second finds it
    # gone (and counts nothing).
    owner = (session.scalar(select(HoursEntry.user_id).where(HoursEntry.id == entry_id))
             if 0 < entry_id <= MAX_ID else None)
    if owner is not None:
        lock_person(session, owner)
    entry = (session.get(HoursEntry, entry_id, with_for_update=True, populate_existing=True)
             if owner is not None else None)
    if entry is None or person_id is not None and entry.user_id != person_id:
        raise NotFound(f"no 学时 entry {entry_id}")
    person = session.get(User, entry.user_id)
    assert person is not None  # the entry's foreign key cascades
    _require_manage(session, actor, person)
    if entry.kind not in OFFLINE_KINDS:
        raise HoursEntryRefused(f"entry {entry_id} is an online entry; only offline entries "
                                "are removed", "entry")
    event = _event(actor, entry, removed=True)
    count_entries(session, [entry], removed=True)
    session.delete(entry)
    session.flush()
    raise_event(session, event)
    return entry


def offline_entries(session: Session, person: User, year: int) -> list[HoursEntry]:
    """The person's offline entries of ``year``, latest session first."""
    return list(session.scalars(
        select(HoursEntry)
        .where(HoursEntry.user_id == person.id, HoursEntry.year == year,
               HoursEntry.kind.in_(OFFLINE_KINDS))
        .order_by(HoursEntry.held_on.desc(), HoursEntry.id.desc())))
