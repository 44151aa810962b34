"""The admin audit log: one row per change an administrator made, kept for good."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import Base, UTCDateTime, utcnow


class AdminAction(Base):
    """Who changed what, before and after; written in the transaction that made the change.

    ``org_unit_path`` is the id path of the unit the change is about (None for site-wide
    changes), so a unit admin's view of the log is one prefix match on an index.
    """

    __tablename__ = "lms_admin_actions"
    __table_args__ = (
        Index("ix_lms_admin_actions_org_unit_path", "org_unit_path",
              postgresql_ops={"org_unit_path": "varchar_pattern_ops"}),
        Index("ix_lms_admin_actions_action_occurred", "action", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("lms_users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(80))
    target_kind: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None]
    org_unit_path: Mapped[str | None] = mapped_column(String(500))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
