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


def _claim(session: Session, delivery_id: int, now: datetime) -> OutboxDelivery | None:
    with unit_of_work(session):
        claimed = session.execute(
            update(OutboxDelivery).where(OutboxDelivery.id == delivery_id, *_due(now))
            .values(attempts=OutboxDelivery.attempts + 1, next_attempt_at=now + LEASE)
            .execution_options(synchronize_session=False)).rowcount
        if claimed != 1:
            return None
        return session.scalars(select(OutboxDelivery).where(OutboxDelivery.id == delivery_id)
                               .execution_options(populate_existing=True)).one()


def _deliver(listener: EventListener | None, row: OutboxEvent) -> None:
    if listener is None:
        raise LookupError("listener is not installed in this app")
    listener.handle(Event.from_payload(row.name, row.payload), row.id)


def dispatch_pending(session: Session, listeners: SubscriberRegistry[EventListener], *,
                     now: datetime | None = None, limit: int = 100) -> DispatchReport:
    """Deliver up to ``limit`` due deliveries, oldest first."""
    now = now or utcnow()
    report = DispatchReport()
    due = session.scalars(select(OutboxDelivery.id).where(*_due(now))
                          .order_by(OutboxDelivery.id).limit(limit)).all()
    session.rollback()  # end the read; each claim is a write of its own
    for delivery_id in due:
        delivery = _claim(session, delivery_id, now)
        if delivery is None:
            continue  # another dispatcher has it
        listener = listeners.get(delivery.listener)
        try:
            _deliver(listener, delivery.event)
        except Exception as error:  # a listener's failure never spreads
            log.exception("listener %s failed on event %s", delivery.listener,
                          delivery.event_id)
            given_up = delivery.attempts >= (listener or EventListener).max_attempts
            with unit_of_work(session):
                delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
                delivery.next_attempt_at = now + retry_delay(delivery.attempts)
                delivery.failed_at = now if given_up else None
            if given_up:
                report.given_up += 1
            else:
                report.failed += 1
            continue
        with unit_of_work(session):
            delivery.delivered_at = utcnow()
            delivery.last_error = None
        report.delivered += 1
    return report
