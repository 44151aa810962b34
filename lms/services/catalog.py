"""Courses as trainees and the CLI see them, and loading course files into the database."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from lms.content.loader import CourseFile
from lms.models import Course, Module, Question
from lms.services import versioning
from lms.services.course_content import QuestionContent, content_from_files
from lms.services.course_views import MODULES_JOINED, module_of
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
    #: ``path:line: message`` per question whose cite is not in its module's text: it was
    #: published all the same and is listed as needing review (lms.services.needs_review).
    warnings: tuple[str, ...] = ()


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
    if course is None:  # ``published: false`` hides a new course; later its state is the site's
        course = Course(slug=course_file.slug, title=course_file.title,
                        published=course_file.published)
        session.add(course)
    elif course.content_hash == course_file.content_hash:
        return UpsertResult(course.id, created=False, changed=False)
    course.content_hash = course_file.content_hash
    bank = kept_bank_questions(course, course_file)
    if not created:
        _keep_identity_of_questions_given_an_id(session, course, course_file)
    published = versioning.publish(session, course, content_from_files(course_file, bank),
                                   actor_id=actor_id)
    if published is None:
        return UpsertResult(course.id, created=created, changed=False)
    return UpsertResult(course.id, created=created, changed=True, version=published.number,
                        changes=published.changes)


def kept_bank_questions(course: Course,
                        course_file: CourseFile) -> dict[str, list[QuestionContent]]:
    """Imported questions stay after each module's file questions, unless the files now
    write them (an exported course names every question by its key)."""
    written = {q.key for m in course_file.modules for q in m.questions}
    return {m.slug: [QuestionContent.from_row(q) for q in m.questions
                     if q.origin == "bank" and q.key not in written] for m in course.modules}


def identity_renames(file_keys: set[str], course_file: CourseFile) -> dict[str, str]:
    """Writing an ``id:`` on a question that had none keeps the question: its row, known by
    the key derived from its prompt, takes the new id as its key. Returns old key → new key
    given the keys of the course's "file" questions."""
    keys, renames = set(file_keys), {}
    derived_in_use = {q.derived_key for m in course_file.modules for q in m.questions
                      if not q.written_id}
    for question in (q for m in course_file.modules for q in m.questions if q.written_id):
        if (question.written_id not in keys and question.derived_key in keys
                and question.derived_key not in derived_in_use):
            renames[question.derived_key] = question.written_id
            keys.remove(question.derived_key)
            keys.add(question.written_id)
    return renames


def _keep_identity_of_questions_given_an_id(session: Session, course: Course,
                                            course_file: CourseFile) -> None:
    if not any(q.written_id for m in course_file.modules for q in m.questions):
        return
    rows = {q.key: q for q in session.scalars(select(Question).where(
        Question.course_id == course.id, Question.origin == "file"))}
    for old, new in identity_renames(set(rows), course_file).items():
        rows[old].key = new


def get_course(session: Session, slug: str) -> Course:
    """The published course with its modules. A request's session looks a slug up once: the
    trainee's access check and the view that follows share the rows."""
    known = session.info.setdefault("lms_published_courses", {})
    course = known.get(slug)
    if course is None or not course.published or course.slug != slug:
        course = session.execute(
            select(Course).where(Course.slug == slug, Course.published)
            .options(MODULES_JOINED)).unique().scalar_one_or_none()
    if course is None:
        raise NotFound(f"no course {slug!r}")
    known[slug] = course
    return course


def get_course_and_module(session: Session, slug: str,
                          module_slug: str) -> tuple[Course, Module]:
    course = get_course(session, slug)
    return course, module_of(course, module_slug)


def loaded_question_counts(courses: list[Course]) -> dict[int, int] | None:
    """``question_counts`` from modules read with their counts; None if any was not."""
    counts = {m.id: m.current_question_count for c in courses for m in c.modules}
    return None if None in counts.values() else counts


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
