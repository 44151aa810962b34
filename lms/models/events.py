"""The outbox: every committed domain event, and its delivery to each after-commit listener."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, UTCDateTime, utcnow


class OutboxEvent(Base):
    """One row per event, written in the same transaction as the change that raised it."""

    __tablename__ = "lms_outbox_events"
    __table_args__ = (Index("ix_lms_outbox_events_name_occurred", "name", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    deliveries: Mapped[list[OutboxDelivery]] = relationship(back_populates="event",
                                                            cascade="all, delete-orphan")


class OutboxDelivery(Base):
    """An event owed to one listener; ``delivered_at`` is set once the listener took it.

    ``next_attempt_at`` doubles as a lease: a dispatcher claims a due row by moving it
    forward, so two workers never deliver the same row at once; a crash leaves the lease to
    expire and the row is delivered again.
    """

    __tablename__ = "lms_outbox_deliveries"
    __table_args__ = (
        UniqueConstraint("event_id", "listener"),
        Index("ix_lms_outbox_deliveries_due", "delivered_at", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("lms_outbox_events.id", ondelete="CASCADE"))
    listener: Mapped[str] = mapped_column(String(100))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)

    event: Mapped[OutboxEvent] = relationship(back_populates="deliveries")
