"""A course's publishable content as plain values, from its files or from its current rows.

Publishing compares these values by hash (lms.services.versioning), so what a version holds
is exactly what is hashed here: a question's definition, a module's text, settings and the
keys and hashes of its questions in order, a course's details and its modules in order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from lms.content.identity import content_hash
from lms.content.loader import CourseFile, QuestionFile
from lms.models import Course, Module, Question
from lms.questions.details import split_details


@dataclass(frozen=True)
class QuestionContent:
    key: str
    origin: str             # "file" or "bank"; not content, so not hashed
    type: str
    prompt: str
    options: list[Any] | None
    answer: Any
    explanation: str
    points: int
    #: The passage of its module it rests on (lms.content.citations), or None.
    cite: str | None = None
    #: Name, 知识点, difficulty, prompt format (lms.questions.details), or None.
    details: dict[str, str] | None = None

    @classmethod
    def from_file(cls, question: QuestionFile) -> QuestionContent:
        return replace(cls.from_spec(question.key, "file", question.type, question.spec),
                       cite=question.cite)

    @classmethod
    def from_spec(cls, key: str, origin: str, type_name: str,
                  spec: dict[str, Any]) -> QuestionContent:
        return cls(key=key, origin=origin, type=type_name, prompt=spec["prompt"],
                   options=spec.get("options"), answer=spec["answer"],
                   explanation=spec.get("explanation", ""), points=spec.get("points", 1),
                   details=split_details(spec))

    @classmethod
    def from_row(cls, question: Question) -> QuestionContent:
        return cls(key=question.key, origin=question.origin, type=question.type,
                   prompt=question.prompt, options=question.options,
                   answer=question.answer_key, explanation=question.explanation,
                   points=question.points, cite=question.cite, details=question.details)

    @cached_property
    def digest(self) -> str:
        """The content's hash; a cite and details are hashed only when there are some, so
        questions without (every one recorded before they existed) keep their hash and their
        revision."""
        content = {"type": self.type, "prompt": self.prompt, "options": self.options,
                   "answer": self.answer, "explanation": self.explanation,
                   "points": self.points}
        if self.cite is not None:
            content["cite"] = self.cite
        if self.details:
            content["details"] = self.details
        return content_hash(content)


@dataclass(frozen=True)
class ModuleContent:
    slug: str
    title: str
    source: str
    html: str
    minutes: int
    required: bool
    pass_mark: int | None
    quiz_settings: dict[str, Any]
    questions: tuple[QuestionContent, ...]
    #: Minutes of active study asked before the module completes, or None.
    min_minutes: int | None = None

    @classmethod
    def from_row(cls, module: Module) -> ModuleContent:
        return cls(slug=module.slug, title=module.title, source=module.source, html=module.html,
                   minutes=module.minutes, required=module.required,
                   pass_mark=module.pass_mark, quiz_settings=dict(module.quiz_settings),
                   questions=tuple(QuestionContent.from_row(q) for q in module.questions),
                   min_minutes=module.min_minutes)

    @cached_property
    def digest(self) -> str:
        """The content's hash; ``min_minutes`` is hashed only when set, so modules without
        it (every one recorded before it existed) keep their hash and their revision."""
        content = {
            "title": self.title, "source": self.source, "html": self.html,
            "minutes": self.minutes, "required": self.required, "pass_mark": self.pass_mark,
            "quiz_settings": self.quiz_settings,
            "questions": [[q.key, q.digest] for q in self.questions],
        }
        if self.min_minutes is not None:
            content["min_minutes"] = self.min_minutes
        return content_hash(content)


@dataclass(frozen=True)
class CourseContent:
    title: str
    description: str
    audience: str
    pass_mark: int
    modules: tuple[ModuleContent, ...]
    #: Course rules as stored (CourseRules.to_json()): None when the course sets none.
    rules: dict[str, Any] | None = None

    @cached_property
    def digest(self) -> str:
        """The content's hash; ``rules`` are hashed only when set, so courses without them
        keep the hash of the versions recorded before rules existed."""
        content = {
            "title": self.title, "description": self.description, "audience": self.audience,
            "pass_mark": self.pass_mark, "modules": [[m.slug, m.digest] for m in self.modules],
        }
        if self.rules:
            content["rules"] = self.rules
        return content_hash(content)

    def with_questions_added(self, module_slug: str, questions: list[QuestionContent],
                             revised: dict[str, QuestionContent] | None = None
                             ) -> CourseContent:
        """Append ``questions`` to the module's; ``revised`` replaces questions by key, in
        place (a re-import's update keeps each question's key and position)."""
        revised = revised or {}
        return replace(self, modules=tuple(
            replace(m, questions=tuple(revised.get(q.key, q) for q in m.questions)
                    + tuple(questions)) if m.slug == module_slug else m
            for m in self.modules))


def content_from_rows(course: Course) -> CourseContent:
    """The current version's content (load ``course.modules`` and their questions eagerly)."""
    return CourseContent(title=course.title, description=course.description,
                         audience=course.audience, pass_mark=course.pass_mark,
                         modules=tuple(ModuleContent.from_row(m) for m in course.modules),
                         rules=course.rules or None)


def content_from_files(course_file: CourseFile,
                       bank: dict[str, list[QuestionContent]]) -> CourseContent:
    """The files' content; ``bank`` (imported questions by module slug) follows each quiz."""
    return CourseContent(
        title=course_file.title, description=course_file.description,
        audience=course_file.audience, pass_mark=course_file.pass_mark,
        rules=course_file.rules.to_json(),
        modules=tuple(
            ModuleContent(
                slug=m.slug, title=m.title, source=m.source, html=m.html, minutes=m.minutes,
                required=m.required, pass_mark=m.pass_mark, quiz_settings=m.quiz.to_json(),
                questions=tuple(QuestionContent.from_file(q) for q in m.questions)
                + tuple(bank.get(m.slug, ())), min_minutes=m.min_minutes,
            )
            for m in course_file.modules
        ),
    )
