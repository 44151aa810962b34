"""Courses assigned by admins, with due dates, and completions recorded by hand."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, UTCDateTime, utcnow
from lms.models.courses import Course
from lms.models.users import OrgUnit, User


class Assignment(Base):
    """A course assigned to an org unit (its whole subtree, now and later) or to one person.

    Unassigning sets ``removed_at``; the row stays so the audit trail and the people's
    records keep their meaning. Which enrollments it covers is derived, never stored here.
    """

    __tablename__ = "lms_assignments"
    __table_args__ = (
        CheckConstraint("(org_unit_id IS NULL) <> (user_id IS NULL)", name="one_target"),
        Index("ix_lms_assignments_course", "course_id", "removed_at"),
        Index("ix_lms_assignments_unit", "org_unit_id", "removed_at"),
        Index("ix_lms_assignments_user", "user_id", "removed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("lms_courses.id", ondelete="CASCADE"))
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("lms_org_units.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("lms_users.id"))
    due_on: Mapped[date | None] = mapped_column(Date)
    assigned_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("lms_users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship()
    org_unit: Mapped[OrgUnit | None] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])


class CompletionOverride(Base):
    """An admin marked a module (or a whole course, ``module_id`` None) complete for a
    person, e.g. for offline training; the reason is shown to the trainee and kept."""

    __tablename__ = "lms_completion_overrides"
    __table_args__ = (Index("ix_lms_completion_overrides_user_course", "user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("lms_courses.id", ondelete="CASCADE"))
    module_id: Mapped[int | None] = mapped_column(ForeignKey("lms_modules.id",
                                                            ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20), default="form")   # form | import
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("lms_users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
