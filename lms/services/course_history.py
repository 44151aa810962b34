"""A course's published history for its authors: versions, module revisions, roll back.

Versions and revisions are never changed (lms.models.versions). Rolling back publishes an
older version's content again, as a new version whose changes say which one it restores:
the record of what trainees were shown, and every attempt and grade pinned to it, stays.
Who published a version is read from the audit log (``course_version_created`` entries);
versions published before it recorded them show no name.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lms.models import (
    AdminAction,
    Course,
    CourseVersion,
    CourseVersionModule,
    Module,
    ModuleRevision,
    ModuleRevisionQuestion,
    QuestionRevision,
    User,
)
from lms.services import drafts, versioning
from lms.services.course_content import CourseContent, ModuleContent, QuestionContent
from lms.services.errors import DomainError, NotFound
from lms.unit_of_work import transactional


class RollBackRefused(DomainError):
    """``draft_open``: publish or discard the draft first; ``current``: trainees see that
    content already."""

    status = 409

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class VersionLine:
    number: int
    created_at: datetime
    published_by: str | None
    changes: dict[str, Any]
    current: bool


@dataclass(frozen=True)
class RevisionLine:
    number: int
    created_at: datetime
    title: str
    #: The versions that list this revision, in order.
    versions: tuple[int, ...]


@dataclass(frozen=True)
class ModuleLine:
    slug: str
    title: str
    #: In the current version (else an earlier version dropped it).
    current: bool
    revisions: list[RevisionLine]  # newest first


@dataclass(frozen=True)
class CourseHistory:
    versions: list[VersionLine]  # newest first
    modules: list[ModuleLine]    # current ones in order, then dropped ones by title
    #: Every module's title by slug, to word a version's changes.
    titles: dict[str, str]


def history(session: Session, course: Course) -> CourseHistory:
    """Versions and module revisions, five queries whatever their number."""
    versions = session.execute(
        select(CourseVersion.id, CourseVersion.number, CourseVersion.created_at,
               CourseVersion.changes)
        .where(CourseVersion.course_id == course.id).order_by(CourseVersion.number.desc())
    ).all()
    by_version = _publishers(session, course)
    modules = session.execute(select(Module.id, Module.slug, Module.title, Module.position)
                              .where(Module.course_id == course.id)).all()
    listed: dict[int, list[int]] = defaultdict(list)
    for revision_id, number in session.execute(
            select(CourseVersionModule.module_revision_id, CourseVersion.number)
            .join(CourseVersion, CourseVersion.id == CourseVersionModule.version_id)
            .where(CourseVersion.course_id == course.id).order_by(CourseVersion.number)):
        listed[revision_id].append(number)
    revisions: dict[int, list[RevisionLine]] = defaultdict(list)
    for row in session.execute(
            select(ModuleRevision.id, ModuleRevision.module_id, ModuleRevision.number,
                   ModuleRevision.created_at, ModuleRevision.title)
            .join(Module, Module.id == ModuleRevision.module_id)
            .where(Module.course_id == course.id).order_by(ModuleRevision.number.desc())):
        revisions[row.module_id].append(RevisionLine(row.number, row.created_at, row.title,
                                                     tuple(listed.get(row.id, ()))))
    ordered = sorted(modules, key=lambda m: (m.position is None, m.position or 0, m.title))
    return CourseHistory(
        versions=[VersionLine(v.number, v.created_at, by_version.get(v.number), v.changes or {},
                              v.id == course.version_id) for v in versions],
        modules=[ModuleLine(m.slug, m.title, m.position is not None, revisions.get(m.id, []))
                 for m in ordered],
        titles={m.slug: m.title for m in modules})


def _publishers(session: Session, course: Course) -> dict[int, str]:
    """Who published each version, by version number, from the audit log: one query."""
    rows = session.execute(
        select(AdminAction.after, User.display_name)
        .join(User, User.id == AdminAction.actor_id)
        .where(AdminAction.action == "course_version_created",
               AdminAction.target_kind == "course", AdminAction.target_id == course.id))
    return {after["version"]: name for after, name in rows
            if isinstance(after, dict) and isinstance(after.get("version"), int)}


def load_versions(session: Session, course: Course,
                  numbers: list[int]) -> dict[int, CourseVersion]:
    """These versions with their module revisions, each one's module and questions, read
    in a fixed number of queries; an unknown number is a ``NotFound``."""
    found = {version.number: version for version in session.scalars(
        select(CourseVersion)
        .where(CourseVersion.course_id == course.id, CourseVersion.number.in_(numbers))
        .options(selectinload(CourseVersion.modules).selectinload(CourseVersionModule.revision)
                 .options(selectinload(ModuleRevision.module),
                          selectinload(ModuleRevision.questions)
                          .selectinload(ModuleRevisionQuestion.revision)
                          .selectinload(QuestionRevision.question))))}
    missing = sorted(set(numbers) - found.keys())
    if missing:
        raise NotFound(f"no version {missing[0]} of course {course.slug!r}")
    return found


def version_content(version: CourseVersion) -> CourseContent:
    """What the version published, as the values ``versioning.publish`` takes."""
    return CourseContent(
        title=version.title, description=version.description, audience=version.audience,
        pass_mark=version.pass_mark, rules=version.rules,
        modules=tuple(_module_content(entry.revision) for entry in version.modules))


def _module_content(revision: ModuleRevision) -> ModuleContent:
    return ModuleContent(
        slug=revision.module.slug, title=revision.title, source=revision.source,
        html=revision.html, minutes=revision.minutes, required=revision.required,
        pass_mark=revision.pass_mark, min_minutes=revision.min_minutes,
        quiz_settings=dict(revision.quiz_settings or {}),
        questions=tuple(
            QuestionContent(key=q.revision.question.key, origin=q.revision.question.origin,
                            type=q.revision.type, prompt=q.revision.prompt,
                            options=q.revision.options, answer=q.revision.answer_key,
                            explanation=q.revision.explanation, points=q.revision.points,
                            cite=q.revision.cite, details=q.revision.details)
            for q in revision.questions))


@transactional
def roll_back(session: Session, actor: User, course: Course,
              number: int) -> versioning.Published:
    """Publish version ``number``'s content again as the course's next version.

    Refused while a draft is open (the draft was started from the current version, and
    publishing it later would silently undo the roll back) and when the content is what
    trainees see already. The course row is locked first, as a publish from files is.
    """
    course = session.scalar(select(Course).where(Course.id == course.id).with_for_update()
                            .execution_options(populate_existing=True))
    if drafts.courses_with_drafts(session, [course.id]):
        raise RollBackRefused("draft_open", "publish or discard the open draft first")
    version = load_versions(session, course, [number])[number]
    published = versioning.publish(session, course, version_content(version),
                                   actor_id=actor.id, restored_from=number)
    if published is None:
        raise RollBackRefused("current", f"version {number} is the current content")
    # The course files last loaded are no longer what is published: the next load of any
    # files compares their content instead of skipping them as unchanged.
    course.content_hash = ""
    return published


def version_numbers(session: Session, course: Course) -> tuple[list[int], int | None]:
    """Every version's number, newest first, and the current one's (None: never published)."""
    rows = session.execute(select(CourseVersion.id, CourseVersion.number)
                           .where(CourseVersion.course_id == course.id)
                           .order_by(CourseVersion.number.desc())).all()
    return [row.number for row in rows], next(
        (row.number for row in rows if row.id == course.version_id), None)
