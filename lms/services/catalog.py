"""Courses as trainees and the CLI see them, and loading course files into the database."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from lms.content.loader import CourseFile
from lms.models import Course, Module, Question
from lms.services import versioning
from lms.services.course_content import QuestionContent, content_from_files
from lms.services.errors import NotFound
from lms.services.versioning import VersionChanges
from lms.unit_of_work import transactional


@dataclass(frozen=True)
class UpsertResult:
    course_id: int
    created: bool
    #: A new version was published (files whose text changed but content did not make none).
    changed: bool
    version: int | None = None
    changes: VersionChanges | None = None


@transactional
def upsert_course(session: Session, course_file: CourseFile, *,
                  actor_id: int | None = None) -> UpsertResult:
    """Load a course from its validated files, publishing a new version if content changed.

    Modules are matched by slug and questions by key, so progress, attempts and statistics
    stay with them. Questions imported into a module (origin "bank") stay after its file
    questions. A version may drop a module trainees have studied: earlier versions keep it,
    and so do their progress and attempts.
    """
    # Locked, and read after the lock: two publishes of one course (a reload and a question
    # import) queue up, each building on what the other committed.
    course = session.scalar(
        select(Course).where(Course.slug == course_file.slug).with_for_update()
        .options(selectinload(Course.modules).selectinload(Module.questions))
        .execution_options(populate_existing=True)
    )
    created = course is None
    if course is None:
        course = Course(slug=course_file.slug, title=course_file.title)
        session.add(course)
    elif course.content_hash == course_file.content_hash:
        return UpsertResult(course.id, created=False, changed=False)
    course.content_hash = course_file.content_hash
    bank = {m.slug: [QuestionContent.from_row(q) for q in m.questions if q.origin == "bank"]
            for m in course.modules}
    if not created:
        _keep_identity_of_questions_given_an_id(session, course, course_file)
    published = versioning.publish(session, course, content_from_files(course_file, bank),
                                   actor_id=actor_id)
    if published is None:
        return UpsertResult(course.id, created=created, changed=False)
    return UpsertResult(course.id, created=created, changed=True, version=published.number,
                        changes=published.changes)


def _keep_identity_of_questions_given_an_id(session: Session, course: Course,
                                            course_file: CourseFile) -> None:
    """Writing an ``id:`` on a question that had none keeps the question: its row, known by
    the key derived from its prompt, takes the new id as its key."""
    written = [q for m in course_file.modules for q in m.questions if q.written_id]
    if not written:
        return
    rows = {q.key: q for q in session.scalars(select(Question).where(
        Question.course_id == course.id, Question.origin == "file"))}
    derived_in_use = {q.derived_key for m in course_file.modules for q in m.questions
                      if not q.written_id}
    for question in written:
        row = rows.get(question.derived_key)
        if (question.written_id not in rows and row is not None
                and question.derived_key not in derived_in_use):
            row.key = question.written_id
            rows[question.written_id] = rows.pop(question.derived_key)


def get_course(session: Session, slug: str) -> Course:
    course = session.scalar(select(Course).where(Course.slug == slug, Course.published))
    if course is None:
        raise NotFound(f"no course {slug!r}")
    return course


def get_module(session: Session, course: Course, module_slug: str) -> Module:
    module = session.scalar(
        select(Module).where(Module.course_id == course.id, Module.slug == module_slug,
                             Module.is_current)
    )
    if module is None:
        raise NotFound(f"no module {module_slug!r} in course {course.slug!r}")
    return module


def get_course_and_module(session: Session, slug: str,
                          module_slug: str) -> tuple[Course, Module]:
    course = get_course(session, slug)
    return course, get_module(session, course, module_slug)


def list_courses(session: Session) -> list[Course]:
    return list(session.scalars(
        select(Course).where(Course.published).order_by(Course.title)
        .options(selectinload(Course.modules))
    ))


def question_counts(session: Session, course_ids: list[int]) -> dict[int, int]:
    """How many questions each module of these courses asks in its current version, by
    module id (a module without questions is absent), in one query for any number of courses.
    """
    if not course_ids:
        return {}
    return dict(session.execute(
        select(Question.module_id, func.count()).join(Module, Module.id == Question.module_id)
        .where(Module.course_id.in_(sorted(course_ids)), Question.is_current)
        .group_by(Question.module_id)
    ).all())


def describe_courses(session: Session) -> list[dict]:
    """Return every course with its modules and question counts, for ``lms courses --json``."""
    counts = dict(session.execute(
        select(Question.module_id, func.count()).where(Question.is_current)
        .group_by(Question.module_id)
    ).all())
    return [
        {
            "slug": course.slug, "title": course.title, "audience": course.audience,
            "pass_mark": course.pass_mark, "published": course.published,
            "modules": [
                {"slug": m.slug, "title": m.title, "minutes": m.minutes,
                 "required": m.required, "questions": counts.get(m.id, 0)}
                for m in course.modules
            ],
        }
        for course in session.scalars(
            select(Course).order_by(Course.slug).options(selectinload(Course.modules))
        )
    ]
