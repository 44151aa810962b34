"""Database models, split by subject. Models import nothing from Flask."""

from lms.models.admin import AdminAction
from lms.models.assignments import Assignment, CompletionOverride
from lms.models.certificates import Certificate
from lms.models.courses import Course, Module, Question
from lms.models.drafts import DraftFile
from lms.models.events import OutboxDelivery, OutboxEvent
from lms.models.grants import Grant, GrantKind
from lms.models.hours import HoursEntry, HoursKind
from lms.models.imports import ImportBatch
from lms.models.learning import (
    AttemptStatus,
    CourseCycle,
    Enrollment,
    ModuleProgress,
    ProgressStatus,
    QuizAttempt,
)
from lms.models.notices import Notice
from lms.models.stats import (
    NO_DUE_DATE,
    CourseUnitStats,
    ModuleUnitStats,
    ScoreBinStats,
    UnitHoursStats,
    WeeklyCompletionStats,
)
from lms.models.study import StudyBeat, StudyClock
from lms.models.users import Duty, OrgUnit, OrgUnitKind, Role, User
from lms.models.versions import (
    CourseVersion,
    CourseVersionModule,
    ModuleRevision,
    ModuleRevisionQuestion,
    QuestionRevision,
)

__all__ = [
    "AdminAction", "Assignment", "Certificate", "CourseCycle", "CompletionOverride", "DraftFile", "Duty",
    "Notice", "UnitHoursStats",
    "NO_DUE_DATE", "CourseUnitStats", "ModuleUnitStats", "ScoreBinStats",
    "WeeklyCompletionStats",
    "AttemptStatus", "Course", "Enrollment", "Module", "ModuleProgress", "OrgUnit", "OrgUnitKind",
    "Grant", "GrantKind", "HoursEntry", "HoursKind", "ImportBatch",
    "CourseVersion", "CourseVersionModule", "ModuleRevision", "ModuleRevisionQuestion",
    "QuestionRevision", "StudyBeat", "StudyClock",
    "OutboxDelivery", "OutboxEvent", "ProgressStatus", "Question", "QuizAttempt", "Role", "User",
]
