"""Who sees a course: unpublish, publish again, archive, unarchive, delete.

None of these touches a trainee's record. Unpublishing and archiving only take the course
out of trainees' lists and the assignment pickers: both clear ``published``, which every
trainee page and picker already asks for, and archiving also sets ``archived_at`` so the
trainer's room files it apart. Deleting removes the course and its whole history, so it is
allowed only while no trainee has any record of it; otherwise it is refused and archiving
is the way to retire the course. Each change is a ``CourseStatusChanged`` event (audited).
"""

from __future__ import annotations

from dataclasses import astuple, dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from lms.db import utcnow
from lms.events import CourseStatusChanged
from lms.models import (
    Assignment,
    CompletionOverride,
    Course,
    Enrollment,
    Grant,
    Module,
    ModuleProgress,
    QuizAttempt,
    User,
)
from lms.services.errors import DomainError
from lms.unit_of_work import raise_event, transactional


class LifecycleRefused(DomainError):
    """The change does not fit the course's state; ``code`` is stable, ``records`` set when
    trainee records keep the course from being deleted."""

    status = 409

    def __init__(self, code: str, message: str, records: TraineeRecords | None = None):
        super().__init__(message)
        self.code, self.message, self.records = code, message, records


@dataclass(frozen=True)
class TraineeRecords:
    enrollments: int
    progress: int
    attempts: int
    overrides: int
    assignments: int

    @property
    def any(self) -> bool:
        return any(astuple(self))


def status_name(course: Course) -> str:
    """``archived``, ``published``, ``unpublished`` (was published) or ``draft`` (never)."""
    if course.archived_at is not None:
        return "archived"
    if course.published:
        return "published"
    return "unpublished" if course.version_id is not None else "draft"


def trainee_records(session: Session, course: Course) -> TraineeRecords:
    """How many records of each kind trainees (and their admins) have of the course: one
    query."""
    modules = select(Module.id).where(Module.course_id == course.id)

    def count(model, *where):
        return select(func.count()).select_from(model).where(*where).scalar_subquery()

    row = session.execute(select(
        count(Enrollment, Enrollment.course_id == course.id),
        count(ModuleProgress, ModuleProgress.module_id.in_(modules)),
        count(QuizAttempt, QuizAttempt.module_id.in_(modules)),
        count(CompletionOverride, CompletionOverride.course_id == course.id),
        count(Assignment, Assignment.course_id == course.id))).one()
    return TraineeRecords(*row)


def _locked(session: Session, course: Course) -> Course:
    """The course row, locked and read after the lock (two authors' clicks queue up)."""
    return session.scalar(select(Course).where(Course.id == course.id).with_for_update()
                          .execution_options(populate_existing=True))


def _changed(session: Session, actor: User, course: Course, old: str, new: str) -> None:
    raise_event(session, CourseStatusChanged(
        actor_id=actor.id, course_id=course.id, course_slug=course.slug,
        course_title=course.title, old_status=old, new_status=new))


@transactional
def unpublish(session: Session, actor: User, course: Course) -> None:
    """Trainees no longer see the course; their records, its versions and drafts stay."""
    course = _locked(session, course)
    if status_name(course) != "published":
        raise LifecycleRefused("not_published", "the course is not published")
    course.published = False
    _changed(session, actor, course, "published", "unpublished")


@transactional
def republish(session: Session, actor: User, course: Course) -> None:
    """Show an unpublished course's current version to trainees again."""
    course = _locked(session, course)
    old = status_name(course)
    if old != "unpublished":
        raise LifecycleRefused(
            "never_published" if old == "draft" else "not_unpublished",
            "publish the draft first" if old == "draft" else "the course is not unpublished")
    course.published = True
    _changed(session, actor, course, old, "published")


@transactional
def archive(session: Session, actor: User, course: Course) -> None:
    """Off the catalogue, the assignment pickers and the trainer's active list."""
    course = _locked(session, course)
    old = status_name(course)
    if old == "archived":
        raise LifecycleRefused("archived", "the course is archived already")
    course.archived_at, course.published = utcnow(), False
    _changed(session, actor, course, old, "archived")


@transactional
def unarchive(session: Session, actor: User, course: Course, *, publish: bool) -> None:
    """Back in the trainer's list, unpublished, or (``publish``) shown to trainees again
    when it has a published version."""
    course = _locked(session, course)
    if course.archived_at is None:
        raise LifecycleRefused("not_archived", "the course is not archived")
    course.archived_at = None
    course.published = publish and course.version_id is not None
    _changed(session, actor, course, "archived", status_name(course))


@transactional
def delete_course(session: Session, actor: User, course: Course) -> None:
    """Delete a course no trainee has a record of, with its versions, drafts and author
    grants; refused (``has_records``) otherwise, which the page answers by offering to
    archive it. The course row is locked first, so no record can arrive meanwhile."""
    course = _locked(session, course)
    records = trainee_records(session, course)
    if records.any:
        raise LifecycleRefused("has_records", "trainees have records of this course", records)
    old = status_name(course)
    _changed(session, actor, course, old, "deleted")
    course.version_id = None  # the versions go with the course; nothing may point at them
    session.flush()
    session.execute(delete(Grant).where(Grant.course_id == course.id))
    session.execute(delete(Course).where(Course.id == course.id))
    session.expunge(course)

