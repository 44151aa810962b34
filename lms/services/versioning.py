"""Publishing course content: a new immutable version only when the content changed.

``publish`` compares the content's hash with the current version's. On a change it writes
the revisions that do not exist yet (an unchanged module or question reuses its revision),
a ``CourseVersion`` listing them in order, and refreshes the identity rows' current copy
(lms.models.courses), matching modules by slug and questions by key so progress, attempts
and item statistics stay attached. What changed is returned and raised as an event.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.db import utcnow
from lms.events import CourseVersionCreated
from lms.models import (
    Course,
    CourseVersion,
    CourseVersionModule,
    Module,
    ModuleRevision,
    ModuleRevisionQuestion,
    Question,
    QuestionRevision,
)
from lms.services.course_content import CourseContent, ModuleContent, QuestionContent
from lms.unit_of_work import raise_event, transactional


@dataclass(frozen=True)
class VersionChanges:
    """What a version changed: module slugs and question keys, each list sorted."""

    details_changed: bool = False
    modules_added: tuple[str, ...] = ()
    modules_changed: tuple[str, ...] = ()
    modules_removed: tuple[str, ...] = ()
    modules_reordered: bool = False
    questions_added: tuple[str, ...] = ()
    questions_revised: tuple[str, ...] = ()
    questions_removed: tuple[str, ...] = ()
    #: A roll back: this version publishes again the content of version ``restored_from``.
    restored_from: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()
                if not (k == "restored_from" and v is None)}

    def summary(self) -> str:
        """One line for the CLI, e.g. "modules changed: a; questions revised: a/q1"."""
        parts = [f"restores version {self.restored_from}"] if self.restored_from else []
        parts += ["details changed"] if self.details_changed else []
        for name, values in asdict(self).items():
            if isinstance(values, tuple) and values:
                parts.append(f"{name.replace('_', ' ')}: {', '.join(values)}")
        if self.modules_reordered:
            parts.append("modules reordered")
        return "; ".join(parts) or "first version"


@dataclass(frozen=True)
class Published:
    version_id: int
    number: int
    changes: VersionChanges


@transactional
def publish(session: Session, course: Course, content: CourseContent, *,
            actor_id: int | None = None, restored_from: int | None = None) -> Published | None:
    """Make ``content`` the course's current version; None when it is the current one.
    ``restored_from``: the content is that earlier version's (a roll back), said in changes."""
    keys = [q.key for m in content.modules for q in m.questions]
    if len(keys) != len(set(keys)):
        raise ValueError("question keys must be unique within a course")
    first = course.version_id is None
    if course.id is None:
        session.flush()
    elif not first and content.digest == session.scalar(
            select(CourseVersion.content_hash).where(CourseVersion.id == course.version_id)):
        return None
    rows = _Rows(session, course, content)
    old_details = (course.title, course.description, course.audience, course.pass_mark,
                   course.rules)
    old_modules = [(m.slug, m.revision) for m in sorted(
        (m for m in rows.modules.values() if m.position is not None), key=lambda m: m.position)]
    old_questions = {q.key: q.revision for q in rows.questions.values() if q.position is not None}
    for row in [*rows.modules.values(), *rows.questions.values()]:
        row.position = None  # so the new order never collides with the old on the unique keys
    session.flush()

    listed = [CourseVersionModule(position=position, revision=rows.module(position, m))
              for position, m in enumerate(content.modules, start=1)]
    course.title, course.description = content.title, content.description
    course.audience, course.pass_mark = content.audience, content.pass_mark
    course.rules = content.rules
    course.updated_at = utcnow()
    number = (session.scalar(select(func.max(CourseVersion.number))
                             .where(CourseVersion.course_id == course.id)) or 0) + 1
    new_modules = [(m.slug, rows.modules[m.slug].revision) for m in content.modules]
    new_questions = {q.key: rows.questions[q.key].revision
                     for m in content.modules for q in m.questions}
    details_changed = not first and old_details != (course.title, course.description,
                                                    course.audience, course.pass_mark,
                                                    course.rules)
    changes = replace(_changes(details_changed, old_modules, new_modules, old_questions,
                               new_questions), restored_from=restored_from)
    version = CourseVersion(course_id=course.id, number=number, content_hash=content.digest,
                            title=content.title, description=content.description,
                            audience=content.audience, pass_mark=content.pass_mark,
                            rules=content.rules, changes=changes.as_json(), modules=listed)
    session.add(version)
    session.flush()
    course.version_id = version.id
    session.flush()
    session.expire(course, ["modules"])
    for module in rows.modules.values():
        session.expire(module, ["questions"])
    raise_event(session, CourseVersionCreated(
        actor_id=actor_id, course_id=course.id, version_id=version.id, version_number=number,
        changes=changes.as_json()))
    return Published(version.id, number, changes)


class _Rows:
    """The course's identity rows and reusable revisions, each loaded in one query."""

    def __init__(self, session: Session, course: Course, content: CourseContent):
        self.session, self.course = session, course
        self.modules = {m.slug: m for m in session.scalars(
            select(Module).where(Module.course_id == course.id))}
        self.questions = {q.key: q for q in session.scalars(
            select(Question).where(Question.course_id == course.id))}
        module_hashes = [m.digest for m in content.modules]
        question_hashes = [q.digest for m in content.modules for q in m.questions]
        self.module_revisions = {(r.module_id, r.content_hash): r for r in session.scalars(
            select(ModuleRevision).join(Module, Module.id == ModuleRevision.module_id)
            .where(Module.course_id == course.id,
                   ModuleRevision.content_hash.in_(module_hashes)))}
        self.question_revisions = {(r.question_id, r.content_hash): r for r in session.scalars(
            select(QuestionRevision).join(Question, Question.id == QuestionRevision.question_id)
            .where(Question.course_id == course.id,
                   QuestionRevision.content_hash.in_(question_hashes)))}
        self.last_module_number: dict[int, int] = dict(session.execute(
            select(ModuleRevision.module_id, func.max(ModuleRevision.number))
            .join(Module, Module.id == ModuleRevision.module_id)
            .where(Module.course_id == course.id).group_by(ModuleRevision.module_id)).all())
        self.last_question_number: dict[int, int] = dict(session.execute(
            select(QuestionRevision.question_id, func.max(QuestionRevision.number))
            .join(Question, Question.id == QuestionRevision.question_id)
            .where(Question.course_id == course.id).group_by(QuestionRevision.question_id)
        ).all())

    def module(self, position: int, content: ModuleContent) -> ModuleRevision:
        """Bring the module's row up to ``content`` at ``position``; return its revision."""
        module = self.modules.get(content.slug)
        if module is None:
            module = self.modules[content.slug] = Module(course_id=self.course.id,
                                                         slug=content.slug)
            self.session.add(module)
        module.position = position
        for name in ("title", "source", "html", "minutes", "required", "pass_mark",
                     "min_minutes"):
            setattr(module, name, getattr(content, name))
        module.quiz_settings = content.quiz_settings
        if module.id is None:
            self.session.flush()  # its questions need its id
        asked = [self.question(module, number, q)
                 for number, q in enumerate(content.questions, start=1)]
        revision = self.module_revisions.get((module.id, content.digest))
        if revision is None:
            revision = ModuleRevision(
                module=module, number=self.last_module_number.get(module.id, 0) + 1,
                content_hash=content.digest, title=content.title, source=content.source,
                html=content.html, minutes=content.minutes, required=content.required,
                pass_mark=content.pass_mark, min_minutes=content.min_minutes,
                quiz_settings=content.quiz_settings,
                questions=[ModuleRevisionQuestion(position=number, revision=question)
                           for number, question in enumerate(asked, start=1)])
            self.session.add(revision)
        module.revision = revision.number
        return revision

    def question(self, module: Module, position: int,
                 content: QuestionContent) -> QuestionRevision:
        question = self.questions.get(content.key)
        if question is None:
            question = self.questions[content.key] = Question(
                course_id=self.course.id, key=content.key, origin=content.origin)
            self.session.add(question)
        question.module_id, question.position = module.id, position
        question.type, question.prompt = content.type, content.prompt
        question.options, question.answer_key = content.options, content.answer
        question.explanation, question.points = content.explanation, content.points
        question.cite, question.details = content.cite, content.details
        revision = (self.question_revisions.get((question.id, content.digest))
                    if question.id is not None else None)
        if revision is None:
            revision = QuestionRevision(
                question=question, number=self.last_question_number.get(question.id, 0) + 1,
                content_hash=content.digest, type=content.type, prompt=content.prompt,
                options=content.options, answer_key=content.answer,
                explanation=content.explanation, points=content.points, cite=content.cite,
                details=content.details)
            self.session.add(revision)
        question.revision = revision.number
        return revision


def _changes(details_changed: bool, old_modules: list[tuple[str, int]],
             new_modules: list[tuple[str, int]], old_questions: dict[str, int],
             new_questions: dict[str, int]) -> VersionChanges:
    before, after = dict(old_modules), dict(new_modules)
    kept_before = [slug for slug, _ in old_modules if slug in after]
    kept_after = [slug for slug, _ in new_modules if slug in before]
    return VersionChanges(
        details_changed=details_changed,
        modules_added=tuple(sorted(after.keys() - before.keys())),
        modules_changed=tuple(sorted(s for s in after.keys() & before.keys()
                                     if after[s] != before[s])),
        modules_removed=tuple(sorted(before.keys() - after.keys())),
        modules_reordered=kept_before != kept_after,
        questions_added=tuple(sorted(new_questions.keys() - old_questions.keys())),
        questions_revised=tuple(sorted(k for k in new_questions.keys() & old_questions.keys()
                                       if new_questions[k] != old_questions[k])),
        questions_removed=tuple(sorted(old_questions.keys() - new_questions.keys())),
    )
