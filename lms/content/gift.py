"""Import and export Moodle GIFT question files, without Flask or the database.

Trainers often already keep question banks in GIFT, Moodle's text format. This module cuts
the file into questions and tells Moodle's constructs apart; the app's registry says which
question type reads each one (``QuestionType.gift_kinds`` / ``gift_read``) and writes it back
(``gift_write``). Each question becomes the same ``raw`` dict a course file's quiz block holds
and is checked by that type's own ``load_spec``; anything no type takes (a description, or a
malformed question) is skipped with its line number so one bad question never loses the file.
Where GIFT leaves room for doubt we follow Moodle's ``question/format/gift/format.php``.

The framework also reads what belongs to every type (lms.questions.details): ``::name::``
is the question's name, a ``[html]`` or ``[markdown]`` marker its prompt's format, and the
last segment of the latest ``$CATEGORY:`` path, or the question's own first ``// [tag:…]``
comment, its 知识点.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import nh3

from lms.problems import Problem
from lms.questions.base import NoFormat, SpecError
from lms.questions.gift_form import (
    FORMAT,
    TF_WORDS,
    GiftBlock,
    GiftSkip,
    clean,
    escape,
    hide_escapes,
)

if TYPE_CHECKING:
    from lms.plugins import QuestionTypeRegistry


@dataclass(frozen=True)
class ImportedQuestion:
    line: int
    name: str | None
    raw: dict[str, Any]


@dataclass(frozen=True)
class SkippedQuestion:
    """A question left out, and why: a ``GiftSkip`` (no type reads it), or the ``SpecError``
    of the type that read it (``type`` names that type)."""

    line: int
    reason: Problem
    type: str | None = None

    def __str__(self) -> str:
        if self.type is None:
            return f"line {self.line}: {self.reason}"
        return f"line {self.line}: invalid {self.type} ({self.reason})"


@dataclass(frozen=True)
class _Block:
    line: int
    text: str
    topic: str | None  # from the latest $CATEGORY: or the block's own [tag:…]
    difficulty: str | None  # from its ``// difficulty:`` comment (our export writes one)


#: Checked before any question is parsed: a 5 MB file of 400 000 tiny questions, or of one
#: question with millions of options, otherwise holds a worker for a minute (issue 11).
MAX_QUESTIONS = 2000
MAX_LINES = 200_000
MAX_QUESTION_CHARS = 32_767
MAX_ANSWERS = 100  # "~" and "=" in one question, escaped ones too


class GiftTooLarge(Problem):
    """The file is beyond one of the bounds above; the message (a msgid, lms.problems) says
    which (and where)."""


_DIFFICULTY = re.compile(r"^//\s*difficulty:\s*(easy|medium|hard)\s*$")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>])+)\]")
#: Category path segments that name no 知识点 (Moodle's contexts and default categories).
_NOT_TOPICS = re.compile(r"^(\$\w+\$|top|default for .*|默认.*)$", re.IGNORECASE)


@dataclass
class GiftResult:
    questions: list[ImportedQuestion]
    skipped: list[SkippedQuestion]


def parse_gift(text: str, registry: QuestionTypeRegistry) -> GiftResult:
    """Parse a GIFT file; every question is either imported or skipped with a reason."""
    result = GiftResult([], [])
    for block in _bounded_blocks(text):
        raw: dict[str, Any] = {}
        try:
            name, raw = _parse_question(block.text, registry)
            raw.update({key: value for key, value in (("topic", block.topic),
                                                      ("difficulty", block.difficulty)) if value})
            registry[raw["type"]].load_spec(raw)
        except GiftSkip as skip:
            result.skipped.append(SkippedQuestion(block.line, skip))
        except SpecError as error:
            result.skipped.append(SkippedQuestion(block.line, error, raw["type"]))
        else:
            result.questions.append(ImportedQuestion(block.line, name, raw))
    return result


def _bounded_blocks(text: str) -> list[_Block]:
    if text.count("\n") + text.count("\r") > MAX_LINES:
        raise GiftTooLarge("The file has more than %(count)s lines.", count=MAX_LINES)
    blocks = _blocks(text)
    if len(blocks) > MAX_QUESTIONS:
        raise GiftTooLarge("The file has more than %(count)s questions: split it into several "
                           "files.", count=MAX_QUESTIONS)
    for block in blocks:
        if len(block.text) > MAX_QUESTION_CHARS:
            raise GiftTooLarge("Line %(line)s: the question is longer than %(count)s "
                               "characters.", line=block.line, count=MAX_QUESTION_CHARS)
        if block.text.count("~") + block.text.count("=") > MAX_ANSWERS:
            raise GiftTooLarge("Line %(line)s: the question has more than %(count)s answers.",
                               line=block.line, count=MAX_ANSWERS)
    return blocks


def _blocks(text: str) -> list[_Block]:
    """Split on blank lines, dropping ``//`` comments (after reading their ``[tag:…]``) and
    ``$CATEGORY:`` lines, which set the topic of the questions that follow (Moodle's rules)."""
    blocks: list[_Block] = []
    start, lines, tags, category, difficulty = 0, [], [], None, None
    raw_lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(raw_lines + [""], start=1):
        stripped = line.strip()
        if not stripped:
            if lines:
                blocks.append(_Block(start, "\n".join(lines), tags[0] if tags else category,
                                     difficulty))
            lines, tags, difficulty = [], [], None
        elif stripped.startswith("//"):
            tags += [" ".join(t.replace("\\]", "]").split())[:100]
                     for t in _TAG.findall(stripped)]
            if level := _DIFFICULTY.match(stripped):
                difficulty = level.group(1)
        elif not lines and stripped.startswith("$CATEGORY:"):
            category = _category_topic(stripped[len("$CATEGORY:"):])
        else:
            start = start if lines else number
            lines.append(line.rstrip())
    return blocks


def _category_topic(path: str) -> str | None:
    """The last segment of a category path that names something (``$course$/top/党章`` → 党章)."""
    segments = [" ".join(s.split()) for s in path.split("/")]
    named = [s for s in segments if s and not _NOT_TOPICS.match(s)]
    return named[-1][:100] if named else None


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
    marker = FORMAT.match(text)
    text_format = marker.group()[1:-1] if marker else "plain"
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
            details = {"title": name[:200]} if name else {}
            if text_format in ("html", "markdown"):
                details["format"] = text_format
                raw = _as_text_beside_html(raw) if text_format == "html" else raw
            return name, {"type": question_type.name, **raw, "points": 1, **details}
    raise reason or GiftSkip("unsupported type (%(kind)s)", kind=question.kind)


def _as_text_beside_html(raw: dict[str, Any]) -> dict[str, Any]:
    """An ``[html]`` question's answers and feedback are HTML in Moodle too; only the prompt
    is shown as HTML here, so the others keep their text without tags."""
    def text(value: Any) -> Any:
        if isinstance(value, str) and "<" in value:
            return " ".join(html.unescape(nh3.clean(value, tags=set())).split())
        return value
    kept = dict(raw)
    if isinstance(kept.get("options"), list):
        kept["options"] = [text(option) for option in kept["options"]]
    if "explanation" in kept:
        kept["explanation"] = text(kept["explanation"])
    if isinstance(kept.get("feedback"), dict):
        kept["feedback"] = {label: text(note) for label, note in kept["feedback"].items()}
    if isinstance(kept.get("answer"), list):  # fill-in and numerical lines carry feedback
        kept["answer"] = [[text(part) for part in entry] if isinstance(entry, list)
                          else text(entry) for entry in kept["answer"]]
    return kept


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
    so the file still imports and the trainer sees what was left out. A change of 知识点
    starts a ``$CATEGORY:``; the name, the prompt's format and the difficulty go with each
    question (the difficulty as a ``// difficulty:`` comment, which this reader reads back).
    """
    chunks, topic = [], None
    for type_name, spec in questions:
        question_type = registry.get(type_name)
        try:
            body = question_type.gift_write(spec) if question_type is not None else None
        except NoFormat:
            body = None
        if body is None:
            chunks.append(f"// skipped: question type {type_name!r} has no GIFT form")
            continue
        if spec.get("topic") != topic:
            topic = spec.get("topic")
            chunks.append(f"$CATEGORY: $course$/top/{topic.replace('/', '／')}" if topic
                          else "$CATEGORY: $course$/top")
        points = spec.get("points", 1)
        comments = [f"// points: {points} (GIFT has no per-question points)"] if points != 1 else []
        if spec.get("difficulty"):
            comments.append(f"// difficulty: {spec['difficulty']}")
        chunks.append("\n".join(comments + [_with_details(body, spec)]))
    return "\n\n".join(chunks) + "\n" if chunks else ""


def _with_details(body: str, spec: dict[str, Any]) -> str:
    """``::name::`` and the ``[html]``/``[markdown]`` marker before the question's text,
    after any comment lines the type wrote first."""
    lines = body.split("\n")
    first = next(i for i, line in enumerate(lines) if not line.startswith("//"))
    prefix = f"::{escape(spec['title'])}::" if spec.get("title") else ""
    if spec.get("format") in ("html", "markdown"):
        prefix += f"[{spec['format']}]"
        # The format marker already keeps a leading // or [...] from being read as more.
        lines[first] = lines[first].removeprefix("[plain]")
    lines[first] = prefix + lines[first]
    return "\n".join(lines)
