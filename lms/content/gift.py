"""Import and export Moodle GIFT question files, without Flask or the database.

Trainers often already keep question banks in GIFT, Moodle's text format. This module cuts
the file into questions and tells Moodle's constructs apart; the app's registry says which
question type reads each one (``QuestionType.gift_kinds`` / ``gift_read``) and writes it back
(``gift_write``). Each question becomes the same ``raw`` dict a course file's quiz block holds
and is checked by that type's own ``load_spec``; anything no type takes (matching, numerical,
essay, description, or a malformed question) is skipped with its line number so one bad
question never loses the file. Where GIFT leaves room for doubt we follow Moodle's
``question/format/gift/format.php``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lms.questions.base import NoFormat, SpecError
from lms.questions.gift_form import TF_WORDS, GiftBlock, GiftSkip, clean, hide_escapes

if TYPE_CHECKING:
    from lms.plugins import QuestionTypeRegistry


@dataclass(frozen=True)
class ImportedQuestion:
    line: int
    name: str | None
    raw: dict[str, Any]


@dataclass(frozen=True)
class SkippedQuestion:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class GiftResult:
    questions: list[ImportedQuestion]
    skipped: list[SkippedQuestion]


def parse_gift(text: str, registry: QuestionTypeRegistry) -> GiftResult:
    """Parse a GIFT file; every question is either imported or skipped with a reason."""
    result = GiftResult([], [])
    for line, block in _blocks(text):
        try:
            name, raw = _parse_question(block, registry)
            registry[raw["type"]].load_spec(raw)
        except GiftSkip as skip:
            result.skipped.append(SkippedQuestion(line, str(skip)))
        except SpecError as error:
            result.skipped.append(SkippedQuestion(line, f"invalid {raw['type']} ({error})"))
        else:
            result.questions.append(ImportedQuestion(line, name, raw))
    return result


def _blocks(text: str) -> list[tuple[int, str]]:
    """Split on blank lines, dropping ``//`` comments and ``$CATEGORY:`` lines (Moodle's rule)."""
    blocks: list[tuple[int, str]] = []
    start, lines = 0, []
    raw_lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(raw_lines + [""], start=1):
        stripped = line.strip()
        if not stripped:
            if lines:
                blocks.append((start, "\n".join(lines)))
            lines = []
        elif stripped.startswith("//") or (not lines and stripped.startswith("$CATEGORY:")):
            continue
        else:
            start = start if lines else number
            lines.append(line.rstrip())
    return blocks


def _parse_question(block: str,
                    registry: QuestionTypeRegistry) -> tuple[str | None, dict[str, Any]]:
    """Name, then the first registered type that reads the construct (built-ins first)."""
    text = hide_escapes(block).strip()
    name = None
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise GiftSkip("unparseable: the question name is not closed with ::")
        name = clean(text[2:end]) or None
        text = text[end + 2:].strip()
    question = _cut(text)
    reason = None
    for question_type in registry.types():
        if question.kind not in question_type.gift_kinds:
            continue
        try:
            raw = question_type.gift_read(question)
        except GiftSkip as skip:  # a later type may still take it; else this is the reason
            reason = reason or skip
            continue
        if raw is not None:
            return name, {"type": question_type.name, **raw, "points": 1}
    raise reason or GiftSkip(f"unsupported type ({question.kind})")


def _cut(text: str) -> GiftBlock:
    """Find the answer block and name the construct as Moodle does, from its first marks."""
    opening, closing = text.find("{"), text.find("}")
    if opening < 0 and closing < 0:
        return GiftBlock("description", text, "", "", "")
    if closing < 0:
        raise GiftSkip("unparseable: '{' is never closed with '}' (escape a literal brace as \\{)")
    if opening < 0 or closing < opening:
        raise GiftSkip("unparseable: '}' without a matching '{' (escape a literal brace as \\})")
    if "{" in text[opening + 1:closing]:
        raise GiftSkip("unparseable: '{' inside the answer block (escape it as \\{)")
    before, answer, after = text[:opening], text[opening + 1:closing].strip(), text[closing + 1:]
    if "{" in after or "}" in after:
        raise GiftSkip("unparseable: more than one answer block")
    general = ""
    mark = answer.rfind("####")
    if mark >= 0:
        general, answer = clean(answer[mark + 4:]), answer[:mark].strip()
    if not answer:
        kind = "essay"
    elif answer.startswith("#"):
        kind = "numerical"
    elif "~" in answer:
        kind = "choice"
    elif "=" in answer and "->" in answer:
        kind = "matching"
    elif answer.split("#", 1)[0].strip().upper() in TF_WORDS:
        kind = "true_false"
    else:
        kind = "short_answer"
    return GiftBlock(kind, before, after, answer, general)


def export_gift(questions: list[tuple[str, dict[str, Any]]],
                registry: QuestionTypeRegistry) -> str:
    """Write normalised specs (as ``load_spec`` returns them) as a GIFT file.

    A question whose type has no GIFT form (or is not registered) becomes a ``//`` comment,
    so the file still imports and the trainer sees what was left out.
    """
    chunks = []
    for type_name, spec in questions:
        question_type = registry.get(type_name)
        try:
            body = question_type.gift_write(spec) if question_type is not None else None
        except NoFormat:
            body = None
        if body is None:
            chunks.append(f"// skipped: question type {type_name!r} has no GIFT form")
            continue
        points = spec.get("points", 1)
        comments = [f"// points: {points} (GIFT has no per-question points)"] if points != 1 else []
        chunks.append("\n".join(comments + [body]))
    return "\n\n".join(chunks) + "\n" if chunks else ""
