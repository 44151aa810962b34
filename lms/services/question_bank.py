"""Question banks in and out: GIFT and Excel files to and from a module's questions.

Imported questions are stored with origin "bank" and published in a new course version;
reloading the course files keeps them after the module's file questions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lms.content.gift import GiftTooLarge, SkippedQuestion, export_gift, parse_gift
from lms.content.identity import bank_key
from lms.content.xlsx_bank import BankInvalid, read_question_bank, write_question_bank
from lms.events import QuestionsImported
from lms.models import Course, Module, Question
from lms.plugins import QuestionTypeRegistry
from lms.problems import Problem
from lms.questions import SpecError
from lms.services import versioning
from lms.services.bank_reimport import EXISTING, ImportCounts, match_existing
from lms.services.course_content import QuestionContent, content_from_rows
from lms.services.errors import InvalidInput
from lms.unit_of_work import raise_event, transactional

FORMATS = {".gift": "gift", ".txt": "gift", ".xlsx": "xlsx"}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class BankRefused(InvalidInput):
    """A bank file, import or export refused as a whole; ``problem`` says why in the reader's
    language (``problem.translated()``), ``message`` in English for logs."""

    def __init__(self, message: str, field: str | None = "file", **params: Any):
        self.problem = Problem(message, **params)
        super().__init__(str(self.problem), field=field)


@dataclass(frozen=True)
class PendingQuestion:
    """A question read from a file, validated, not yet stored."""

    line: int            # in the file (GIFT) or the sheet (Excel), for the preview
    type: str
    raw: dict[str, Any]


@dataclass(frozen=True)
class ParsedBank:
    format: str
    questions: list[PendingQuestion]
    skipped: list[SkippedQuestion]
    examples: int = 0  # the Excel template's example rows, left out (lms.content.xlsx_guide)


def format_of(filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    if suffix not in FORMATS:
        raise BankRefused("Use a GIFT (.gift, .txt) or Excel (.xlsx) file.")
    return FORMATS[suffix]


def parse_bank(filename: str, data: bytes, registry: QuestionTypeRegistry) -> ParsedBank:
    """Read a GIFT or Excel file. Excel is all or nothing (``BankInvalid``); GIFT skips and
    names the questions it cannot take, as Moodle does."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise BankRefused("The file is larger than %(mb)s MB.", mb=MAX_UPLOAD_BYTES // 2**20)
    kind = format_of(filename)
    if kind == "xlsx":
        rows = read_question_bank(data, registry)
        return ParsedBank(kind, [PendingQuestion(r.row, r.raw["type"], r.raw)
                                 for r in rows], [], rows.examples)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BankRefused("A GIFT file must be UTF-8 text: save it again as UTF-8.") from None
    try:
        result = parse_gift(text, registry)
    except GiftTooLarge as error:
        raise BankRefused(error.msgid, **error.params) from None
    pending, skipped = [], list(result.skipped)
    for question in result.questions:
        question_type = registry.get(question.raw["type"])
        try:
            if question_type is None:
                raise SpecError("type", "unknown question type %(type)s",
                                type=question.raw["type"])
            question_type.load_spec(question.raw)
        except SpecError as error:
            skipped.append(SkippedQuestion(question.line, error, question.raw["type"]))
            continue
        pending.append(PendingQuestion(question.line, question.raw["type"],
                                       question.raw))
    return ParsedBank(kind, pending, skipped)


@transactional
def import_questions(session: Session, registry: QuestionTypeRegistry, module: Module,
                     questions: list[PendingQuestion], *, actor_id: int | None = None,
                     existing: str = "copy") -> ImportCounts:
    """Add the questions to the module's bank; validated again, all or nothing.
    ``existing`` says what to do with questions the module already holds
    (lms.services.bank_reimport): "skip", "update" (a new revision) or "copy"."""
    if not questions:
        raise BankRefused("There are no questions to import.")
    if existing not in EXISTING:
        raise BankRefused("Unknown choice %(choice)s for the questions already there.",
                          field="existing", choice=existing)
    specs = []
    for question in questions:
        question_type = registry.get(question.type)
        if question_type is None:
            raise BankRefused("Line %(line)s: unknown question type %(type)s.", field=None,
                              line=question.line, type=question.type)
        try:
            specs.append((question.type, question_type.load_spec(question.raw)))
        except SpecError as error:
            raise BankRefused("Line %(line)s: %(reason)s", field=None, line=question.line,
                              reason=error) from None
    counts = _publish_with_bank_questions(session, module, specs, actor_id, existing)
    if counts.added or counts.updated:
        raise_event(session, QuestionsImported(actor_id=actor_id, course_id=module.course_id,
                                               module_id=module.id,
                                               count=counts.added + counts.updated))
    return counts


def _publish_with_bank_questions(session: Session, module: Module,
                                 specs: list[tuple[str, dict[str, Any]]],
                                 actor_id: int | None, existing: str) -> ImportCounts:
    """New questions join the module's quiz, and known ones are revised ("update") under
    their own key, in one new course version; nothing is published when nothing changed."""
    course = session.scalar(  # locked first, as upsert_course does
        select(Course).where(Course.id == module.course_id).with_for_update()
        .options(selectinload(Course.modules).selectinload(Module.questions))
        .execution_options(populate_existing=True))
    current = next(m for m in course.modules if m.id == module.id).questions
    matches = (match_existing(current, specs) if existing != "copy"
               else [None] * len(specs))
    by_key = {q.key: q for q in current}
    taken = set(session.scalars(select(Question.key).where(Question.course_id == course.id)))
    added, revised, skipped = [], {}, 0
    for (type_name, spec), key in zip(specs, matches, strict=True):
        if key is None:
            key = bank_key(module.slug, spec["prompt"], taken)
            taken.add(key)
            added.append(QuestionContent.from_spec(key, "bank", type_name, spec))
            continue
        old = QuestionContent.from_row(by_key[key])
        new = replace(QuestionContent.from_spec(key, old.origin, type_name, spec),
                      cite=old.cite)
        if existing == "update" and new.digest != old.digest:
            revised[key] = new
        else:
            skipped += 1
    if added or revised:
        content = content_from_rows(course).with_questions_added(module.slug, added, revised)
        versioning.publish(session, course, content, actor_id=actor_id)
    return ImportCounts(len(added), len(revised), skipped)


def questions_for_export(session: Session, course: Course,
                         module: Module | None = None) -> list[tuple[str, dict[str, Any]]]:
    query = (select(Question).join(Module, Module.id == Question.module_id)
             .where(Module.course_id == course.id, Question.is_current)
             .order_by(Module.position, Question.position))
    if module is not None:
        query = query.where(Question.module_id == module.id)
    return [(q.type, q.spec()) for q in session.scalars(query)]


def export_bank(questions: list[tuple[str, dict[str, Any]]], kind: str,
                registry: QuestionTypeRegistry) -> bytes:
    """Write the questions as GIFT or Excel; each type (from the app's registry) writes its own
    form."""
    if kind == "gift":
        return export_gift(questions, registry).encode("utf-8")
    if kind == "xlsx":
        try:
            return write_question_bank(questions, registry)
        except ValueError as error:  # a question the Excel layout cannot hold losslessly
            raise BankRefused("These questions cannot be written as Excel (%(reason)s): "
                              "export them as GIFT instead.", field="format",
                              reason=error) from None
    raise BankRefused("Unknown export format %(kind)s: use gift or xlsx.", field="format",
                      kind=kind)


__all__ = ["BankInvalid", "BankRefused", "ImportCounts", "ParsedBank", "PendingQuestion", "export_bank", "import_questions",
           "parse_bank", "questions_for_export"]
