"""A question-bank upload kept between its preview and its one-use confirm.

The previewed questions wait in ``lms_import_batches`` behind a random token, as the people
import's rows do; the confirm claims the batch with a conditional UPDATE in the same unit of
work that imports, so a double click, a back-and-resubmit or a replayed request imports
nothing more (``BatchRefused("already_imported")``).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from lms.models import Module, User
from lms.plugins import QuestionTypeRegistry
from lms.services import import_batches, question_bank
from lms.services.bank_reimport import ImportCounts
from lms.services.import_batches import BatchRefused
from lms.unit_of_work import transactional

KIND = "question_bank"


def stage(session: Session, actor: User, module: Module,
          parsed: question_bank.ParsedBank) -> str:
    """Keep the previewed questions; return the token the confirm form carries."""
    rows = [{"line": q.line, "type": q.type, "raw": q.raw} for q in parsed.questions]
    _, token = import_batches.stage(session, actor, KIND, rows, {"module_id": module.id})
    return token


@transactional
def confirm(session: Session, registry: QuestionTypeRegistry, actor: User, module: Module,
            token: str, existing: str = "skip") -> ImportCounts:
    """Import the staged questions once; ``existing`` says what becomes of the questions the
    module already holds (lms.services.bank_reimport), decided here, under the course lock."""
    batch = import_batches.claim(session, actor, KIND, token)
    if batch.summary.get("module_id") != module.id:
        raise BatchRefused("unknown")
    pending = [question_bank.PendingQuestion(row.get("line", 0), row["type"], row["raw"])
               for row in batch.rows]
    return question_bank.import_questions(session, registry, module, pending,
                                          actor_id=actor.id, existing=existing)
