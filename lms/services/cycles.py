"""The person's current training cycle of a course, as a SQL expression.

Attempts carry the cycle they were started in (lms.services.recurrence opens new ones), so
"has passed", "attempts used" and "may see the answers" count the current cycle only: a pass
from last year's cycle neither completes this year's module nor shows this year's answers.
A person with no enrollment yet is in cycle 1.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select

from lms.models import Enrollment, Module, QuizAttempt


def current_cycle(user_id: int, course_id: int | ColumnElement) -> ColumnElement[int]:
    return func.coalesce(
        select(Enrollment.cycle).where(Enrollment.user_id == user_id,
                                       Enrollment.course_id == course_id)
        .scalar_subquery(), 1)


def in_current_cycle(user_id: int, module: Module) -> ColumnElement[bool]:
    """Attempts of ``module`` by the person in their current cycle of its course."""
    return (QuizAttempt.user_id == user_id) & (QuizAttempt.module_id == module.id) & (
        QuizAttempt.cycle == current_cycle(user_id, module.course_id))
