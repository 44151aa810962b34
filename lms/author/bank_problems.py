"""A question left out of a bank import, or a whole file refused, said in the page's (or the
CLI's) language with its line number."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.content.gift import SkippedQuestion
from lms.plugins import QuestionTypeRegistry
from lms.services.errors import InvalidInput

#: The definition keys a type's SpecError names, as trainers call them.
FIELD_NAMES = {
    "prompt": _l("question text"), "options": _l("options"), "answer": _l("answer"),
    "explanation": _l("explanation"), "points": _l("question points"), "type": _l("question type"),
    "topic": _l("knowledge point"), "difficulty": _l("difficulty"), "title": _l("question name"),
    "format": _l("text format"), "units": _l("units"),
}


def describe(skip: SkippedQuestion, registry: QuestionTypeRegistry) -> str:
    """“第12行：单选题的选项有误：……” — the type's own message, translated."""
    reason = skip.reason.translated()
    if skip.type is None:
        return _("Line %(line)s: %(reason)s", line=skip.line, reason=reason)
    question_type = registry.get(skip.type)
    field = getattr(skip.reason, "field", "")
    return _("Line %(line)s: %(type)s, %(field)s: %(reason)s", line=skip.line,
             type=question_type.label if question_type else skip.type,
             field=FIELD_NAMES.get(field, field), reason=reason)


def refusal(error: InvalidInput) -> str:
    """Why a bank file, import or export was refused, in the page's language."""
    problem = getattr(error, "problem", None)
    return problem.translated() if problem is not None else error.message
