"""Question types. Built-ins register through the same entry-point group as plugins."""

from lms.questions.base import Grade, QuestionType, SpecError
from lms.questions.choice import MultipleChoice, SingleChoice
from lms.questions.fill_blank import FillBlank
from lms.questions.matching import Matching
from lms.questions.numerical import Numerical
from lms.questions.ordering import Ordering
from lms.questions.short_answer import ShortAnswer
from lms.questions.true_false import TrueFalse

BUILTIN_TYPES: tuple[type[QuestionType], ...] = (
    SingleChoice, MultipleChoice, TrueFalse, FillBlank, Ordering, ShortAnswer, Numerical,
    Matching,
)

__all__ = ["BUILTIN_TYPES", "Grade", "QuestionType", "SpecError"]
