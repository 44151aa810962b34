"""Database models, split by subject. Models import nothing from Flask."""

from lms.models.courses import Course, Module, Question
from lms.models.learning import (
    AttemptStatus,
    Enrollment,
    ModuleProgress,
    ProgressStatus,
    QuizAttempt,
)
from lms.models.users import OrgUnit, OrgUnitKind, Role, User

__all__ = [
    "AttemptStatus", "Course", "Enrollment", "Module", "ModuleProgress", "OrgUnit", "OrgUnitKind",
    "ProgressStatus", "Question", "QuizAttempt", "Role", "User",
]
