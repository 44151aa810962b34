"""What trainees do: enrollments, per-module progress and quiz attempts."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Enum, Float, ForeignKey, Index, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, UTCDateTime, utcnow
from lms.models.courses import Course, Module
from lms.models.users import User


class ProgressStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class Enrollment(Base):
    """A person's record in one course, whether assigned to them or taken up by them.

    ``assigned`` and ``due_on`` are derived from the active assignments that cover the
    person (``services.assignments.sync``); the earliest due date wins. The ``counted_*``
    columns are what this row currently adds to the statistics counters, so the counter
    handler can apply exact deltas (``services.stats_counters``).
    """

    __tablename__ = "lms_enrollments"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id"),
        Index("ix_lms_enrollments_course_unit", "course_id", "counted_unit_id"),
        # The overdue list: one course, not completed, past a due date, earliest first, read
        # in index order so a page stops after its rows instead of sorting them all. SQLite
        # takes the first (which also serves any course + completion lookup); PostgreSQL
        # orders by an index only past columns fixed by "=", which "IS NULL" is not, so it
        # needs the second, partial one.
        Index("ix_lms_enrollments_course_due", "course_id", "completed_at", "due_on", "id"),
        Index("ix_lms_enrollments_open_due", "course_id", "due_on", "id",
              sqlite_where=text("completed_at IS NULL"),
              postgresql_where=text("completed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("lms_courses.id", ondelete="CASCADE"))
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assigned: Mapped[bool] = mapped_column(default=False, server_default=false())
    due_on: Mapped[date | None] = mapped_column(Date)
    #: Training cycle of a recurring course (lms.services.recurrence): 1 until a completion
    #: lapses and a new cycle reopens the course; earlier cycles are in ``CourseCycle``.
    cycle: Mapped[int] = mapped_column(default=1, server_default="1")
    cycle_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The date a reopened cycle must be completed by (the earlier completion's expiry);
    #: ``due_on`` takes it over the assignments' date (services.assignments.sync_enrollments).
    cycle_due_on: Mapped[date | None] = mapped_column(Date)

    counted_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("lms_org_units.id", ondelete="SET NULL"))
    counted_assigned: Mapped[bool] = mapped_column(default=False, server_default=false())
    counted_due_on: Mapped[date | None] = mapped_column(Date)
    counted_started: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Monday of the week the completion is counted in (None: not counted as completed).
    counted_completed_week: Mapped[date | None] = mapped_column(Date)

    user: Mapped[User] = relationship()
    course: Mapped[Course] = relationship()


class ModuleProgress(Base):
    """One row per trainee and module; the unique key backs every get-or-create."""

    __tablename__ = "lms_module_progress"
    __table_args__ = (
        UniqueConstraint("user_id", "module_id"),
        Index("ix_lms_module_progress_module_status", "module_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_users.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("lms_modules.id", ondelete="CASCADE"))
    status: Mapped[ProgressStatus] = mapped_column(
        Enum(ProgressStatus, name="progress_status", native_enum=False, length=20,
             values_callable=lambda members: [m.value for m in members]),
        default=ProgressStatus.NOT_STARTED,
    )
    first_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    seconds_active: Mapped[int] = mapped_column(default=0)
    #: How far down the module the trainee last read (0–1), so 继续学习 returns there.
    read_position: Mapped[float | None] = mapped_column(Float)
    best_score: Mapped[float | None] = mapped_column(Float)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The course version the module was completed in; completion is decided then and
    #: stays when later versions change the module.
    completed_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("lms_course_versions.id"))

    #: What this row adds to the per-(module, unit) counters; see ``Enrollment``.
    counted_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("lms_org_units.id", ondelete="SET NULL"))
    counted_opened: Mapped[bool] = mapped_column(default=False, server_default=false())
    counted_attempted: Mapped[bool] = mapped_column(default=False, server_default=false())
    counted_passed: Mapped[bool] = mapped_column(default=False, server_default=false())
    counted_score: Mapped[float | None] = mapped_column(Float)

    module: Mapped[Module] = relationship()


class AttemptStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    PENDING_REVIEW = "pending_review"   # 待批阅: a short answer waits for a trainer
    GRADED = "graded"


class QuizAttempt(Base):
    """One sitting of a module's quiz, pinned to exactly what was asked.

    ``questions`` is the snapshot taken at start: each question's stable id and revision,
    prompts, options in the order shown, the answer key in that order, points and the
    settings that grade it. Editing or deleting a
    question later never changes this attempt's grade.
    """

    __tablename__ = "lms_quiz_attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "module_id", "number"),
        Index("ix_lms_quiz_attempts_module_submitted", "module_id", "submitted_at"),
        Index("ix_lms_quiz_attempts_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_users.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("lms_modules.id", ondelete="CASCADE"))
    #: The course version the attempt was taken in (its questions are in ``questions``).
    course_version_id: Mapped[int] = mapped_column(ForeignKey("lms_course_versions.id"))
    number: Mapped[int]
    #: The enrollment's training cycle when it started: passes and attempts used count in
    #: their own cycle only.
    cycle: Mapped[int] = mapped_column(default=1, server_default="1")
    status: Mapped[AttemptStatus] = mapped_column(
        Enum(AttemptStatus, name="attempt_status", native_enum=False, length=20,
             values_callable=lambda members: [m.value for m in members]),
        default=AttemptStatus.IN_PROGRESS,
    )
    questions: Mapped[list[Any]] = mapped_column(JSON)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    draft: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    draft_saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answers: Mapped[list[Any] | None] = mapped_column(JSON)
    results: Mapped[list[Any] | None] = mapped_column(JSON)
    earned: Mapped[float | None] = mapped_column(Float)
    possible: Mapped[float | None] = mapped_column(Float)
    score: Mapped[float | None] = mapped_column(Float)
    pass_mark: Mapped[int]
    passed: Mapped[bool | None]
    late: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("lms_users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    module: Mapped[Module] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class CourseCycle(Base):
    """A closed training cycle of a recurring course: what the person's record said when a
    new cycle reopened the course (the attempts, 学时 entries and certificate stay too)."""

    __tablename__ = "lms_course_cycles"
    __table_args__ = (UniqueConstraint("user_id", "course_id", "cycle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("lms_courses.id", ondelete="CASCADE"))
    cycle: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_on: Mapped[date | None] = mapped_column(Date)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
