"""Course content as loaded from course files: courses, their modules and quiz questions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    modules: Mapped[list[Module]] = relationship(
        back_populates="course", order_by="Module.position", cascade="all, delete-orphan"
    )


class Module(Base):
    """One section of a course; ``html`` is the sanitized rendering cached at load time."""

    __tablename__ = "lms_modules"
    __table_args__ = (
        UniqueConstraint("course_id", "slug"),
        UniqueConstraint("course_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("lms_courses.id", ondelete="CASCADE"))
    position: Mapped[int]
    slug: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    minutes: Mapped[int]
    required: Mapped[bool] = mapped_column(default=True)
    pass_mark: Mapped[int | None]
    quiz_settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    course: Mapped[Course] = relationship(back_populates="modules")
    questions: Mapped[list[Question]] = relationship(
        back_populates="module", order_by="Question.position", cascade="all, delete-orphan"
    )


class Question(Base):
    """A quiz question; ``answer_key`` is never sent to the browser before submission."""

    __tablename__ = "lms_questions"
    __table_args__ = (UniqueConstraint("module_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("lms_modules.id", ondelete="CASCADE"))
    position: Mapped[int]
    type: Mapped[str] = mapped_column(String(50))
    prompt: Mapped[str] = mapped_column(Text)
    options: Mapped[list[Any] | None] = mapped_column(JSON)
    answer_key: Mapped[Any] = mapped_column(JSON)
    explanation: Mapped[str] = mapped_column(Text, default="")
    points: Mapped[int] = mapped_column(default=1)
    #: "file" questions are replaced when the course files are reloaded; "bank" questions
    #: came from a GIFT or Excel import and survive reloads.
    origin: Mapped[str] = mapped_column(String(10), default="file")

    module: Mapped[Module] = relationship(back_populates="questions")

    def spec(self) -> dict[str, Any]:
        """Return the definition a question type grades against."""
        return {
            "question_id": self.id, "type": self.type, "prompt": self.prompt,
            "options": self.options, "answer": self.answer_key,
            "explanation": self.explanation, "points": self.points,
        }
