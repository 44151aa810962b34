"""Completion counters per (course or module, org unit), kept in the changing transaction.

Each row counts the people *directly* in one unit; a subtree's figure is the sum over the
units whose id path starts with the subtree's path, so moving a unit rewrites no counter.
Every row is the exact sum of the ``counted_*`` columns of ``Enrollment`` /
``ModuleProgress`` rows with that key (``services.stats_counters`` keeps both together).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import Base

#: ``due_on`` of people with no due date: a real date, so the key has no NULL in it.
NO_DUE_DATE = date(9999, 12, 31)


class CourseUnitStats(Base):
    """People holding the course in one unit, by due date (overdue = past due, not done)."""

    __tablename__ = "lms_course_unit_stats"
    __table_args__ = (Index("ix_lms_course_unit_stats_unit", "org_unit_id"),)

    course_id: Mapped[int] = mapped_column(
        ForeignKey("lms_courses.id", ondelete="CASCADE"), primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(
        ForeignKey("lms_org_units.id", ondelete="CASCADE"), primary_key=True)
    due_on: Mapped[date] = mapped_column(Date, primary_key=True)
    learners: Mapped[int] = mapped_column(default=0)
    assigned: Mapped[int] = mapped_column(default=0)
    started: Mapped[int] = mapped_column(default=0)
    completed: Mapped[int] = mapped_column(default=0)


class ModuleUnitStats(Base):
    """The module funnel in one unit: opened, quiz attempted, passed; best-score sums."""

    __tablename__ = "lms_module_unit_stats"
    __table_args__ = (Index("ix_lms_module_unit_stats_unit", "org_unit_id"),)

    module_id: Mapped[int] = mapped_column(
        ForeignKey("lms_modules.id", ondelete="CASCADE"), primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(
        ForeignKey("lms_org_units.id", ondelete="CASCADE"), primary_key=True)
    opened: Mapped[int] = mapped_column(default=0)
    attempted: Mapped[int] = mapped_column(default=0)
    passed: Mapped[int] = mapped_column(default=0)
    scored: Mapped[int] = mapped_column(default=0)
    score_sum: Mapped[float] = mapped_column(Float, default=0.0)


class ScoreBinStats(Base):
    """How many best scores of a module fall in each tenth (bin 9 is 90–100)."""

    __tablename__ = "lms_score_bin_stats"

    module_id: Mapped[int] = mapped_column(
        ForeignKey("lms_modules.id", ondelete="CASCADE"), primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(
        ForeignKey("lms_org_units.id", ondelete="CASCADE"), primary_key=True)
    bin: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    people: Mapped[int] = mapped_column(default=0)


class WeeklyCompletionStats(Base):
    """Course completions per week (``week_start`` is a Monday) in one unit."""

    __tablename__ = "lms_weekly_completion_stats"
    __table_args__ = (Index("ix_lms_weekly_completion_stats_week", "course_id", "week_start"),)

    course_id: Mapped[int] = mapped_column(
        ForeignKey("lms_courses.id", ondelete="CASCADE"), primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(
        ForeignKey("lms_org_units.id", ondelete="CASCADE"), primary_key=True)
    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    completed: Mapped[int] = mapped_column(default=0)


class UnitHoursStats(Base):
    """学时 recorded in one unit (people directly in it) per year and kind, in quarter hours."""

    __tablename__ = "lms_unit_hours_stats"

    org_unit_id: Mapped[int] = mapped_column(
        ForeignKey("lms_org_units.id", ondelete="CASCADE"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    quarter_hours: Mapped[int] = mapped_column(default=0)
    #: Entries counted (people with 学时 of this kind this year, at most one online entry
    #: per course).
    entries: Mapped[int] = mapped_column(default=0)
