"""Deliver committed events from the outbox to after-commit listeners, retried with back-off.

Each delivery is claimed before its listener runs (its ``next_attempt_at`` moves a lease
ahead, in a write of its own), so two web workers or a worker and ``lms events dispatch`` never
run one delivery at once; a process that dies mid-delivery leaves the lease to expire and
the delivery is retried. Delivery is therefore at least once. A listener that raises is
logged, retried after a growing delay, and given up (``failed_at``) after its
``max_attempts``; it never reaches the trainee.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from lms.db import utcnow
from lms.events import Event
from lms.models import OutboxDelivery, OutboxEvent
from lms.subscribers import EventListener, SubscriberRegistry
from lms.unit_of_work import unit_of_work

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(seconds=10)
LONGEST_RETRY = timedelta(hours=1)
LEASE = timedelta(minutes=5)

Clock = Callable[[], datetime]


@dataclass
class DispatchReport:
    delivered: int = 0
    failed: int = 0
    given_up: int = 0

    @property
    def handled(self) -> int:
        return self.delivered + self.failed + self.given_up


def retry_delay(attempts: int) -> timedelta:
    """10 s, 20 s, 40 s … capped at an hour."""
    return min(LONGEST_RETRY, FIRST_RETRY * 2 ** max(0, attempts - 1))


def _due(now: datetime):
    return (OutboxDelivery.delivered_at.is_(None), OutboxDelivery.failed_at.is_(None),
            OutboxDelivery.next_attempt_at <= now)


def count_pending(session: Session) -> dict[str, int]:
    """Undelivered deliveries per listener (not given up), for the CLI and monitoring."""
    rows = session.execute(
        select(OutboxDelivery.listener, func.count())
        .where(OutboxDelivery.delivered_at.is_(None), OutboxDelivery.failed_at.is_(None))
        .group_by(OutboxDelivery.listener)).all()
    return dict(rows)


@dataclass(frozen=True)
class _Claimed:
    """What a claimed delivery needs, read inside the claim so no transaction stays open
    while the listener runs."""

    delivery_id: int
    listener: str
    attempts: int
    event_id: int
    event: Event


def _claim(session: Session, delivery_id: int, clock: Clock = utcnow) -> _Claimed | None:
    now = clock()
    with unit_of_work(session):
        claimed = session.execute(
            update(OutboxDelivery).where(OutboxDelivery.id == delivery_id, *_due(now))
            .values(attempts=OutboxDelivery.attempts + 1, next_attempt_at=now + LEASE)
            .execution_options(synchronize_session=False)).rowcount
        if claimed != 1:
            return None
        listener, attempts, event_id, name, payload = session.execute(
            select(OutboxDelivery.listener, OutboxDelivery.attempts, OutboxEvent.id,
                   OutboxEvent.name, OutboxEvent.payload)
            .join(OutboxEvent, OutboxEvent.id == OutboxDelivery.event_id)
            .where(OutboxDelivery.id == delivery_id)).one()
    return _Claimed(delivery_id, listener, attempts, event_id, Event.from_payload(name, payload))


def _record(session: Session, claimed: _Claimed, error: Exception | None,
            listener: EventListener | None, clock: Clock) -> bool:
    """Mark the delivery done, or schedule its retry; True when it was given up."""
    now = clock()
    given_up = False
    with unit_of_work(session):
        delivery = session.get(OutboxDelivery, claimed.delivery_id, populate_existing=True)
        if error is None:
            delivery.delivered_at = now
            delivery.last_error = None
        else:
            given_up = claimed.attempts >= (listener or EventListener).max_attempts
            delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
            delivery.next_attempt_at = now + retry_delay(claimed.attempts)
            delivery.failed_at = now if given_up else None
    return given_up


def dispatch_pending(session: Session, listeners: SubscriberRegistry[EventListener], *,
                     clock: Clock = utcnow, limit: int = 100) -> DispatchReport:
    """Deliver up to ``limit`` due deliveries, oldest first.

    ``clock`` is read afresh for every claim and every retry, so a slow listener never leaves
    a lease or a back-off that already ran out.
    """
    report = DispatchReport()
    due = session.scalars(select(OutboxDelivery.id).where(*_due(clock()))
                          .order_by(OutboxDelivery.id).limit(limit)).all()
    session.rollback()  # end the read; each claim is a write of its own
    for delivery_id in due:
        claimed = _claim(session, delivery_id, clock)
        if claimed is None:
            continue  # another dispatcher has it
        listener = listeners.get(claimed.listener)
        try:
            if listener is None:
                raise LookupError("listener is not installed in this app")
            listener.handle(claimed.event, claimed.event_id)
        except Exception as error:  # a listener's failure never spreads
            log.exception("listener %s failed on event %s", claimed.listener,
                          claimed.event_id)
            if _record(session, claimed, error, listener, clock):
                report.given_up += 1
            else:
                report.failed += 1
            continue
        _record(session, claimed, None, listener, clock)
        report.delivered += 1
    return report
