"""The immutable record of published course content: versions and revisions.

Schema choice: ``Module`` and ``Question`` (lms.models.courses) are stable identities, keyed
by (course, slug) and (course, key), so progress and attempts keep pointing at them across
versions; they also carry a copy of their *current* content so pages and quizzes read one
row. The rows here are the record and are never updated once written:

* ``QuestionRevision``: one wording of a question (numbered 1, 2, ... per question);
* ``ModuleRevision``: one state of a module, its text and settings plus the ordered list of
  question revisions it asked;
* ``CourseVersion``: one published state of a course, the ordered list of module revisions.

A revision is reused when the same content comes back (matched by ``content_hash``), so
publishing never writes a second copy of what is already recorded.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from lms.models.courses import Module, Question


class CourseVersion(Base):
    """A published state of a course; ``changes`` says what differs from the one before."""

    __tablename__ = "lms_course_versions"
    __table_args__ = (UniqueConstraint("course_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("lms_courses.id", ondelete="CASCADE"))
    number: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(200), default="")
    pass_mark: Mapped[int]
    rules: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    modules: Mapped[list[CourseVersionModule]] = relationship(
        order_by="CourseVersionModule.position", cascade="all, delete-orphan")


class CourseVersionModule(Base):
    """Module revision ``module_revision_id`` is section ``position`` of the version."""

    __tablename__ = "lms_course_version_modules"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("lms_course_versions.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    module_revision_id: Mapped[int] = mapped_column(
        ForeignKey("lms_module_revisions.id", ondelete="CASCADE"), index=True)

    revision: Mapped[ModuleRevision] = relationship()


class ModuleRevision(Base):
    __tablename__ = "lms_module_revisions"
    __table_args__ = (UniqueConstraint("module_id", "number"),
                      UniqueConstraint("module_id", "content_hash"))

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("lms_modules.id", ondelete="CASCADE"))
    number: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    minutes: Mapped[int]
    required: Mapped[bool]
    pass_mark: Mapped[int | None]
    min_minutes: Mapped[int | None]
    quiz_settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    module: Mapped[Module] = relationship()
    questions: Mapped[list[ModuleRevisionQuestion]] = relationship(
        order_by="ModuleRevisionQuestion.position", cascade="all, delete-orphan")


class ModuleRevisionQuestion(Base):
    """Question revision ``question_revision_id`` is question ``position`` of the module."""

    __tablename__ = "lms_module_revision_questions"

    module_revision_id: Mapped[int] = mapped_column(
        ForeignKey("lms_module_revisions.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    question_revision_id: Mapped[int] = mapped_column(
        ForeignKey("lms_question_revisions.id", ondelete="CASCADE"), index=True)

    revision: Mapped[QuestionRevision] = relationship()


class QuestionRevision(Base):
    """One wording of a question; the identity (and so the item analysis row) stays."""

    __tablename__ = "lms_question_revisions"
    __table_args__ = (UniqueConstraint("question_id", "number"),
                      UniqueConstraint("question_id", "content_hash"))

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("lms_questions.id", ondelete="CASCADE"))
    number: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(50))
    prompt: Mapped[str] = mapped_column(Text)
    options: Mapped[list[Any] | None] = mapped_column(JSON)
    answer_key: Mapped[Any] = mapped_column(JSON)
    explanation: Mapped[str] = mapped_column(Text, default="")
    points: Mapped[int]
    #: The passage it cited, as published (None: none).
    cite: Mapped[str | None] = mapped_column(Text)
    #: Its details as published (lms.questions.details), None: none.
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[Question] = relationship()
