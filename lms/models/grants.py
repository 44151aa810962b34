"""Scoped grants: who administers which part of the org tree, who authors which course.

A user's role (``User.role``) is their default grant and needs no row here; these rows add
to it. Permission questions are answered in ``lms.services.permissions``.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, UTCDateTime, utcnow
from lms.models.courses import Course
from lms.models.users import OrgUnit, User


class GrantKind(enum.StrEnum):
    SITE_ADMIN = "site_admin"          # everything, everywhere
    UNIT_ADMIN = "unit_admin"          # an org unit and every unit below it
    COURSE_AUTHOR = "course_author"    # one course: its questions, analysis and attempts


class Grant(Base):
    """One grant to one user; a unit admin grant names a unit, an author grant a course."""

    __tablename__ = "lms_grants"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'site_admin' AND org_unit_id IS NULL AND course_id IS NULL)"
            " OR (kind = 'unit_admin' AND org_unit_id IS NOT NULL AND course_id IS NULL)"
            " OR (kind = 'course_author' AND course_id IS NOT NULL AND org_unit_id IS NULL)",
            name="target_matches_kind",
        ),
        UniqueConstraint("user_id", "org_unit_id"),
        UniqueConstraint("user_id", "course_id"),
        # The keys above treat NULLs as distinct, so site admin grants get their own.
        Index("uq_lms_grants_site_admin", "user_id", unique=True,
              sqlite_where=text("kind = 'site_admin'"),
              postgresql_where=text("kind = 'site_admin'")),
        Index("ix_lms_grants_course_id", "course_id"),
        Index("ix_lms_grants_org_unit_id", "org_unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_users.id", ondelete="CASCADE"))
    kind: Mapped[GrantKind] = mapped_column(
        Enum(GrantKind, name="grant_kind", native_enum=False, length=20,
             values_callable=lambda members: [m.value for m in members],
             validate_strings=True))
    org_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("lms_org_units.id", ondelete="CASCADE"))
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("lms_courses.id", ondelete="CASCADE"))
    granted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("lms_users.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    org_unit: Mapped[OrgUnit | None] = relationship()
    course: Mapped[Course | None] = relationship()
