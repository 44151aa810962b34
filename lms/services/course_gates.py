"""What keeps a module closed: prerequisite courses, sequential unlock, the final exam.

A course's rules (lms.content.course_rules) may ask for other courses first, open each module
only when the one before it is complete, and keep the final exam closed until every other
required module is. The outline a page already read holds every status needed, so the module
locks cost no query; prerequisites cost one, and only for a course that has them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.content.course_rules import course_rules
from lms.models import Course, Enrollment, Module, ProgressStatus, User


@dataclass(frozen=True)
class Lock:
    """Why a module is closed: ``prerequisites`` (complete ``courses`` first), ``previous``
    (complete ``module`` first) or ``final_exam`` (complete the other required modules)."""

    reason: str
    courses: tuple[Course, ...] = ()
    module: Module | None = None


def has_gates(course: Course) -> bool:
    rules = course_rules(course)
    return bool(rules.prerequisites or rules.sequential or rules.final_exam)


def unmet_prerequisites(session: Session, user: User, courses: list[Course]
                        ) -> dict[int, tuple[Course, ...]]:
    """Per course id, its prerequisite courses the person has never completed (one query for
    all the courses; none when no course has prerequisites). A completed round of a recurring
    prerequisite counts, though a new round reopened it. A prerequisite that is not a
    published, unarchived course cannot be met by anyone and is not asked."""
    wanted = {course.id: course_rules(course).prerequisites for course in courses}
    slugs = sorted({slug for slugs in wanted.values() for slug in slugs})
    if not slugs:
        return {}
    done = Enrollment.completed_at.is_not(None) | (Enrollment.cycle > 1)
    rows = session.execute(
        select(Course, Enrollment.id)
        .outerjoin(Enrollment, (Enrollment.course_id == Course.id)
                   & (Enrollment.user_id == user.id) & done)
        .where(Course.slug.in_(slugs), Course.published, Course.archived_at.is_(None))).all()
    open_courses = {course.slug: course for course, enrollment_id in rows if enrollment_id is None}
    return {course_id: tuple(open_courses[s] for s in slugs_wanted if s in open_courses)
            for course_id, slugs_wanted in wanted.items()}


def module_locks(course: Course, statuses: list[tuple[Module, ProgressStatus]],
                 unmet: tuple[Course, ...] = ()) -> dict[int, Lock]:
    """The closed modules of a course by module id, from the person's module statuses in
    course order."""
    rules = course_rules(course)
    done = {module.id for module, status in statuses if status is ProgressStatus.COMPLETED}
    if unmet:  # a module already completed stays open to read again
        lock = Lock("prerequisites", courses=unmet)
        return {module.id: lock for module, _ in statuses if module.id not in done}
    locks: dict[int, Lock] = {}
    if rules.sequential:
        for (before, _), (module, _) in zip(statuses, statuses[1:], strict=False):
            if before.id not in done and module.id not in done:
                locks[module.id] = Lock("previous", module=before)
    if rules.final_exam:
        exam = next((m for m, _ in statuses if m.slug == rules.final_exam), None)
        others = [m for m, _ in statuses if m.required and m is not exam and m.id not in done]
        if exam is not None and exam.id not in done and others:
            locks.setdefault(exam.id, Lock("final_exam", module=others[0]))
    return locks
