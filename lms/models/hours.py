"""The 学时 ledger: typed entries per person and calendar year.

网络培训 (online) entries are the app's: one per person, course and year, derived from the
active study time of that year's heartbeats and the course's tests passed that year, so a
change of crediting rule can replay them (``lms hours recompute``). 集中培训 and 集体学习
entries are recorded by admins for offline sessions. Hours are kept in quarter hours (every
rule in use counts in steps of 0.25 or 0.5), so sums are exact on every database.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import Base, UTCDateTime, utcnow


class HoursKind(enum.StrEnum):
    ONLINE = "online"     # 网络培训
    CENTRAL = "central"   # 集中培训
    GROUP = "group"       # 集体学习


class HoursEntry(Base):
    __tablename__ = "lms_hours_entries"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id", "year"),
        Index("ix_lms_hours_entries_year_user", "year", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_users.id", ondelete="CASCADE"))
    year: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))
    quarter_hours: Mapped[int] = mapped_column(default=0)
    #: Online entries: the course, its active study seconds that year, whether a test passed.
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("lms_courses.id", ondelete="CASCADE"))
    active_seconds: Mapped[int] = mapped_column(default=0)
    test_passed: Mapped[bool] = mapped_column(default=False)
    #: Offline entries: what the session was, when, and who recorded it.
    title: Mapped[str] = mapped_column(String(200), default="")
    held_on: Mapped[date | None]
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("lms_users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: What this entry adds to ``UnitHoursStats`` now (unit, quarter hours), kept with it.
    counted_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("lms_org_units.id", ondelete="SET NULL"))
    counted_quarter_hours: Mapped[int] = mapped_column(default=0, server_default="0")

    @property
    def hours(self) -> float:
        return self.quarter_hours / 4
