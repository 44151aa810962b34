"""结业证书: one per course completion, checked by anyone through an unguessable code.

A certificate copies what it certifies (name, unit, course, date, 学时) when it is issued, so
the verify page shows what was true then, whatever is renamed later. Revoking keeps the row
(the verify page says it was revoked); re-issuing writes a new row with a new code that names
the one it replaces. ``cycle`` is the course's training cycle (recurring courses), so an
earlier cycle's certificate stays verifiable beside the current one.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, UTCDateTime, utcnow
from lms.models.courses import Course
from lms.models.users import User


class Certificate(Base):
    __tablename__ = "lms_certificates"
    __table_args__ = (
        # At most one valid certificate per person, course and cycle.
        Index("uq_lms_certificates_valid", "user_id", "course_id", "cycle", unique=True,
              sqlite_where=text("revoked_at IS NULL"),
              postgresql_where=text("revoked_at IS NULL")),
        Index("ix_lms_certificates_course", "course_id", "issued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Random, unguessable, and what /verify/<code> looks up.
    code: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("lms_courses.id", ondelete="CASCADE"))
    cycle: Mapped[int] = mapped_column(default=1)
    holder_name: Mapped[str] = mapped_column(String(100))
    unit_name: Mapped[str] = mapped_column(String(500), default="")
    course_title: Mapped[str] = mapped_column(String(200))
    completed_on: Mapped[date]
    quarter_hours: Mapped[int] = mapped_column(default=0)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("lms_users.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str] = mapped_column(String(200), default="")
    #: The revoked certificate this one was issued to replace.
    replaces_id: Mapped[int | None] = mapped_column(
        ForeignKey("lms_certificates.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    course: Mapped[Course] = relationship()

    @property
    def hours(self) -> float:
        return self.quarter_hours / 4
