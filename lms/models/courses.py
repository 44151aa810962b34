"""Course content as loaded from course files: courses, their modules and quiz questions.

``Module`` and ``Question`` rows are stable identities: a module is its (course, slug), a
question its (course, key), so progress rows, attempts and item statistics keep pointing at
them when the content changes. Each carries a copy of its content in the course's *current*
version (``revision`` is that revision's number) so pages, quizzes and stats read one row;
the immutable record of every version is in lms.models.versions. A row whose module or
question is not in the current version keeps its last content with ``position`` None.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ColumnElement, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from lms.db import Base, UTCDateTime, utcnow


class Course(Base):
    __tablename__ = "lms_courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(200), default="")
    pass_mark: Mapped[int] = mapped_column(default=60)
    published: Mapped[bool] = mapped_column(default=True)
    #: Course rules from the course file's ``rules:`` (lms.content.course_rules): minimum
    #: 学时, final exam, sequential unlock, prerequisites, certificate, recurrence, time cap.
    #: None when the course sets none.
    rules: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: Archived: off the catalogue and the trainer's active list, every record kept.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Hash of the course files last loaded, so an unchanged folder is skipped unread.
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    #: The current version; None only before the first publish.
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("lms_course_versions.id", use_alter=True))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    #: The modules of the current version, in order (dropped modules' rows are not listed).
    modules: Mapped[list[Module]] = relationship(
        primaryjoin="and_(Course.id == Module.course_id, Module.position.is_not(None))",
        back_populates="course", order_by="Module.position", passive_deletes=True,
    )


class InCurrentVersion:
    """A row with a ``position`` in the course's current version, None once a version drops it
    (the row stays, with the progress and attempts that point at it). Subclasses map
    ``position``."""

    @hybrid_property
    def is_current(self) -> bool:
        return self.position is not None

    @is_current.inplace.expression
    @classmethod
    def _is_current(cls) -> ColumnElement[bool]:
        return cls.position.is_not(None)


class Module(InCurrentVersion, Base):
    """One section of a course, as in the current version; ``html`` is the sanitized
    rendering cached at load time."""

    __tablename__ = "lms_modules"
    __table_args__ = (
        UniqueConstraint("course_id", "slug"),
        UniqueConstraint("course_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("lms_courses.id", ondelete="CASCADE"))
    #: 1-based place in the current version; None when the current version dropped it.
    position: Mapped[int | None]
    slug: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    minutes: Mapped[int]
    required: Mapped[bool] = mapped_column(default=True)
    pass_mark: Mapped[int | None]
    #: Minutes of active study the module asks before it completes; None: no such rule.
    min_minutes: Mapped[int | None]
    quiz_settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    revision: Mapped[int] = mapped_column(default=1)
    #: How many questions the current version asks, when the module was read by
    #: ``catalog.get_course`` or ``course_views`` (None otherwise, and after expiry).
    current_question_count: Mapped[int | None] = query_expression()

    course: Mapped[Course] = relationship(back_populates="modules")
    #: The questions of the current version, in order.
    questions: Mapped[list[Question]] = relationship(
        primaryjoin="and_(Module.id == Question.module_id, Question.position.is_not(None))",
        back_populates="module", order_by="Question.position", passive_deletes=True,
    )


class Question(InCurrentVersion, Base):
    """A quiz question as in the current version; ``answer_key`` is never sent to the
    browser before submission. ``key`` is its identity in the course: the ``id:`` written in
    the course file, or one derived from the module and the prompt (lms.content.identity)."""

    __tablename__ = "lms_questions"
    __table_args__ = (UniqueConstraint("module_id", "position"),
                      UniqueConstraint("course_id", "key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("lms_courses.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    #: The module it is (or was last) asked in.
    module_id: Mapped[int] = mapped_column(ForeignKey("lms_modules.id", ondelete="CASCADE"))
    #: 1-based place in the module's current quiz; None when the current version dropped it.
    position: Mapped[int | None]
    type: Mapped[str] = mapped_column(String(50))
    prompt: Mapped[str] = mapped_column(Text)
    options: Mapped[list[Any] | None] = mapped_column(JSON)
    answer_key: Mapped[Any] = mapped_column(JSON)
    explanation: Mapped[str] = mapped_column(Text, default="")
    points: Mapped[int] = mapped_column(default=1)
    #: The passage of its module it rests on (lms.content.citations), or None. A column,
    #: not a key in ``options``/``answer_key`` (whose shape each type owns): the needs-review
    #: list reads it for every question of a course, and a NULL says "cites nothing" plainly.
    cite: Mapped[str | None] = mapped_column(Text)
    #: Details every type may have (lms.questions.details): name, 知识点, difficulty, the
    #: prompt's format; None when it has none.
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: "file" questions come and go with the course files; "bank" questions came from a
    #: GIFT or Excel import and stay in their module when the files are reloaded.
    origin: Mapped[str] = mapped_column(String(10), default="file")
    #: Number of the current wording (QuestionRevision.number).
    revision: Mapped[int] = mapped_column(default=1)

    module: Mapped[Module] = relationship(back_populates="questions")

    def spec(self) -> dict[str, Any]:
        """Return the definition a question type grades against.

        It names the question's stable id and revision, so an attempt's snapshot records
        which wording was asked, and the passage it cited then (shown after submission).
        """
        return {
            "question_id": self.id, "question_key": self.key, "revision": self.revision,
            "type": self.type, "prompt": self.prompt,
            "options": self.options, "answer": self.answer_key,
            "explanation": self.explanation, "points": self.points,
            **({"cite": self.cite} if self.cite is not None else {}),
            **(self.details or {}),
        }
