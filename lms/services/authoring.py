"""The trainer's room: the courses a person authors or teaches, with where each stands."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from lms.models import Course, Enrollment
from lms.services import drafts
from lms.services.errors import NotFound, PermissionDenied
from lms.services.permissions import Action, Scope, allowed


class CourseStatus(enum.StrEnum):
    DRAFT = "draft"          # never published: trainees cannot see it
    PUBLISHED = "published"
    ARCHIVED = "archived"    # off the catalogue, every record kept


@dataclass(frozen=True)
class CourseLine:
    course: Course
    status: CourseStatus
    authored: bool       # may edit and publish (else: teaches it, sees its quizzes)
    has_draft: bool      # unpublished edits are waiting
    trainees: int
    completed: int

    @property
    def completion_percent(self) -> float | None:
        return round(100 * self.completed / self.trainees, 1) if self.trainees else None


def status_of(course: Course) -> CourseStatus:
    if course.archived_at is not None:
        return CourseStatus.ARCHIVED
    return CourseStatus.PUBLISHED if course.published else CourseStatus.DRAFT


def course_lines(session: Session, scope: Scope) -> list[CourseLine]:
    """Courses the scope authors (any status) or teaches (published ones), drafts first,
    then by title: three queries whatever the number of courses."""
    where = [] if scope.everything else [or_(Course.id.in_(sorted(scope.course_ids)),
                                             Course.published)]
    courses = [course for course in session.scalars(
                   select(Course).where(*where).options(selectinload(Course.modules)))
               if allowed(scope, Action.AUTHOR_COURSE, course)
               or (course.published and allowed(scope, Action.VIEW_ITEM_ANALYSIS, course))]
    ids = [course.id for course in courses]
    counts = {course_id: (trainees, completed) for course_id, trainees, completed in
              session.execute(select(Enrollment.course_id, func.count(Enrollment.id),
                                     func.count(Enrollment.completed_at))
                              .where(Enrollment.course_id.in_(ids))
                              .group_by(Enrollment.course_id))} if ids else {}
    with_drafts = drafts.courses_with_drafts(session, ids)
    order = {CourseStatus.DRAFT: 0, CourseStatus.PUBLISHED: 1, CourseStatus.ARCHIVED: 2}
    lines = [CourseLine(course, status_of(course), allowed(scope, Action.AUTHOR_COURSE, course),
                        course.id in with_drafts, *counts.get(course.id, (0, 0)))
             for course in courses]
    return sorted(lines, key=lambda line: (order[line.status], line.course.title,
                                           line.course.id))


def get_authored_course(session: Session, scope: Scope, slug: str) -> Course:
    """A course the scope may edit, whatever its status (404 before 403: a draft's slug is
    not revealed to people who may not author it)."""
    course = session.scalar(select(Course).where(Course.slug == slug))
    if course is None:
        raise NotFound(f"no course {slug!r}")
    if not allowed(scope, Action.AUTHOR_COURSE, course):
        if not course.published:
            raise NotFound(f"no course {slug!r}")
        raise PermissionDenied("not an author of this course")
    return course
