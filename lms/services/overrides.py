"""An administrator marks a module or a whole course complete for a person (offline training).

An override completes exactly as a trainee would (``ModuleCompleted``, then the course through
the course-completion handler, or ``CourseCompleted`` for a whole course), so statistics and
later features see an ordinary completion; the reason is kept and shown to the trainee.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from lms.db import fetch, utcnow
from lms.events import CompletionOverridden, CourseCompleted
from lms.models import CompletionOverride, Course, Module, User
from lms.services import progress
from lms.services.assignments import may_administer
from lms.services.course_completion import lock_enrollment
from lms.services.errors import InvalidInput, PermissionDenied
from lms.services.locks import lock_modules, lock_person
from lms.services.permissions import scope_of
from lms.unit_of_work import raise_event, transactional

REASON_MAX = 500
SOURCES = ("form", "import")


class OverrideRefused(InvalidInput):
    """An override the rules refuse; ``reason`` is a stable key the web layer words."""

    def __init__(self, reason: str, message: str, field: str | None = None):
        super().__init__(message, field=field)
        self.reason = reason


def clean_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise OverrideRefused("reason_required", "an override needs a reason", field="reason")
    if len(reason) > REASON_MAX:
        raise OverrideRefused("reason_too_long", f"a reason has at most {REASON_MAX} characters",
                              field="reason")
    return reason


@transactional
def override_completion(session: Session, actor: User, person: User, course: Course, *,
                        module: Module | None = None, reason: str,
                        source: str = "form") -> CompletionOverride:
    """Mark ``module`` (None: every required module and the course) complete for ``person``.

    Refused when it is already complete; the actor must administer the person's unit.
    """
    scope = scope_of(session, actor)
    if not may_administer(scope, person):
        raise PermissionDenied("not an administrator of this person's unit")
    if person.id == actor.id and not scope.everything:
        # As with grading, nobody below a site admin completes their own training.
        raise PermissionDenied("an administrator cannot mark their own training complete")
    reason = clean_reason(reason)
    if source not in SOURCES:
        raise ValueError(f"unknown override source {source!r}")
    if module is not None and (module.course_id != course.id or not module.is_current):
        raise OverrideRefused("unknown_module", "the module is not in this course",
                              field="module")
    # The modules, then the person, before their rows (lms.services.locks).
    lock_modules(session, [module.id] if module is not None else [m.id for m in course.modules])
    lock_person(session, person.id)
    if module is not None:
        if progress.complete_module(session, person, module, actor_id=actor.id) is None:
            raise OverrideRefused("already_completed", "the module is already completed",
                                  field="module")
    else:
        _complete_course(session, actor, person, course)
    override = CompletionOverride(user_id=person.id, course_id=course.id,
                                  module_id=module.id if module is not None else None,
                                  reason=reason, source=source, actor_id=actor.id)
    session.add(override)
    session.flush()
    raise_event(session, CompletionOverridden(
        actor_id=actor.id, user_id=person.id, course_id=course.id,
        module_id=override.module_id, override_id=override.id, reason=reason))
    return override


def _complete_course(session: Session, actor: User, person: User, course: Course) -> None:
    enrollment = lock_enrollment(session, person.id, course.id, actor_id=actor.id)
    if enrollment.completed_at is not None:
        raise OverrideRefused("already_completed", "the course is already completed",
                              field="module")
    for module in course.modules:
        if module.required:
            progress.complete_module(session, person, module, actor_id=actor.id)
    # Set before the handlers run, so the module completions above do not complete it again.
    enrollment.completed_at = utcnow()
    raise_event(session, CourseCompleted(actor_id=actor.id, user_id=person.id,
                                         course_id=course.id, occurred_at=enrollment.completed_at))


def reasons_for(session: Session, user: User, course: Course) -> dict[int | None, str]:
    """The latest override reason per module of the course (None: the whole course)."""
    rows = fetch(session, _REASONS, {"user_id": user.id, "course_id": course.id})
    return {module_id: reason for module_id, reason in rows}


#: Built once, with its cache key: every course page asks it.
_REASONS = (select(CompletionOverride.module_id, CompletionOverride.reason)
            .where(CompletionOverride.user_id == bindparam("user_id"),
                   CompletionOverride.course_id == bindparam("course_id"))
            .order_by(CompletionOverride.id))
