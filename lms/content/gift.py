"""Import and export Moodle GIFT question files, without Flask or the database.

Trainers often already keep question banks in GIFT, Moodle's text format. Each question this
LMS can grade becomes the same ``raw`` dict a course file's quiz block holds and is checked by
the built-in type's own ``load_spec``; anything else (matching, numerical, essay, description,
or a malformed question) is skipped with its line number so one bad question never loses the
file. Where GIFT leaves room for doubt we follow Moodle's ``question/format/gift/format.php``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lms.questions import BUILTIN_TYPES, SpecError
from lms.questions.base import letters
from lms.questions.fill_blank import BLANK

# Escaped characters become private-use placeholders while parsing, so ``\~`` is never a marker.
_ESCAPES = {c: chr(0xE000 + i) for i, c in enumerate("\\~=#{}:n")}
_RESTORE = {p: "\n" if c == "n" else c for c, p in _ESCAPES.items()}
_ESCAPED = re.compile(r"\\([\\~=#{}:n])")
_FORMAT = re.compile(r"^\[(?:markdown|html|plain|moodle)\]")
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_TF_WORDS = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_TRUE, _FALSE = "正确", "错误"
_TYPES = {question_type.name: question_type() for question_type in BUILTIN_TYPES}


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


class _Skip(Exception):
    """A question that cannot be imported; the message is the reason shown to the trainer."""


def parse_gift(text: str) -> GiftResult:
    """Parse a GIFT file; every question is either imported or skipped with a reason."""
    result = GiftResult([], [])
    for line, block in _blocks(text):
        try:
            name, raw = _parse_question(block)
            _TYPES[raw["type"]].load_spec(raw)
        except _Skip as skip:
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


def _restore(text: str) -> str:
    return "".join(_RESTORE.get(ch, ch) for ch in text)


def _clean(text: str) -> str:
    """Drop a leading ``[markdown]``-style format marker and unescape; the text is kept as is."""
    return _restore(_FORMAT.sub("", text.strip(), count=1)).strip()


def _feedback(text: str) -> str:
    return " ".join(_clean(text).split())


def _parse_question(block: str) -> tuple[str | None, dict[str, Any]]:
    text = _ESCAPED.sub(lambda m: _ESCAPES[m.group(1)], block).strip()
    name = None
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise _Skip("unparseable: the question name is not closed with ::")
        name = _clean(text[2:end]) or None
        text = text[end + 2:].strip()
    opening, closing = text.find("{"), text.find("}")
    if opening < 0 and closing < 0:
        raise _Skip("unsupported type (description)")
    if closing < 0:
        raise _Skip("unparseable: '{' is never closed with '}' (escape a literal brace as \\{)")
    if opening < 0 or closing < opening:
        raise _Skip("unparseable: '}' without a matching '{' (escape a literal brace as \\})")
    if "{" in text[opening + 1:closing]:
        raise _Skip("unparseable: '{' inside the answer block (escape it as \\{)")
    before, answer, after = text[:opening], text[opening + 1:closing].strip(), text[closing + 1:]
    if "{" in after or "}" in after:
        raise _Skip("unparseable: more than one answer block")

    general = ""
    cut = answer.rfind("####")
    if cut >= 0:
        general, answer = _clean(answer[cut + 4:]), answer[:cut].strip()
    missing_word = bool(after.strip())  # Moodle: text after the block means a blank there
    prompt = before + "____" + after if missing_word else before
    if not answer:
        raise _Skip("unsupported type (essay)")
    if answer.startswith("#"):
        raise _Skip("unsupported type (numerical)")
    if "~" in answer:
        raw = _choice(answer)
    elif "=" in answer and "->" in answer:
        raise _Skip("unsupported type (matching)")
    elif answer.split("#", 1)[0].strip().upper() in _TF_WORDS:
        raw = _true_false(answer)
    else:
        raw = _short_answer(answer)
        if not missing_word:
            prompt = before.rstrip() + " ____"
    explanation = "\n".join(([general] if general else []) + _notes(raw.pop("notes")))
    return name, {"type": raw.pop("type"), "prompt": _clean(prompt), **raw,
                  "explanation": explanation, "points": 1}


def _notes(notes: list[tuple[str, str]]) -> list[str]:
    """Per-answer feedback as ``B：text`` lines; answers sharing one feedback share a line."""
    grouped: dict[str, list[str]] = {}
    for label, text in notes:
        if text:
            grouped.setdefault(text, []).append(label)
    return [f"{' / '.join(labels)}：{text}" for text, labels in grouped.items()]


def _choice(answer: str) -> dict[str, Any]:
    """``=`` anywhere means one right option (Moodle's radio buttons), else weights > 0 count.

    A ``~%50%`` option beside an ``=`` one is partial credit in Moodle, not a right answer,
    and this LMS grades all or nothing, so it is imported as a wrong option.
    """
    parts = re.split(r"([=~])", answer)
    if parts[0].strip():
        raise _Skip("unparseable: text before the first ~ or = answer")
    options, weights, notes = [], [], []
    for marker, body in zip(parts[1::2], parts[2::2], strict=True):
        body = body.strip()
        weight = 100.0 if marker == "=" else 0.0
        if match := _WEIGHT.match(body):
            weight, body = float(match.group(1)), body[match.end():]
        text, _, feedback = body.partition("#")
        options.append(_clean(text))
        weights.append((marker, weight))
        notes.append((letters([len(options) - 1]), _feedback(feedback)))
    if any(marker == "=" for marker, _ in weights):
        right = [i for i, (marker, weight) in enumerate(weights) if marker == "=" and weight == 100]
        if len(right) > 1:
            raise _Skip("unsupported: several full-credit options in a single-answer question")
    else:
        right = [i for i, (_, weight) in enumerate(weights) if weight > 0]
    if not right:
        raise _Skip("unparseable: no option is marked right (= or a positive %weight%)")
    kind = "single_choice" if len(right) == 1 else "multiple_choice"
    return {"type": kind, "options": options, "answer": letters(right), "notes": notes}


def _true_false(answer: str) -> dict[str, Any]:
    """``{TRUE#wrong#right}``: Moodle shows the first feedback to a wrong response."""
    word, *feedback = answer.split("#", 2)
    value = _TF_WORDS[word.strip().upper()]
    wrong, right = (feedback + ["", ""])[:2]
    for_true, for_false = (right, wrong) if value else (wrong, right)
    notes = [(_TRUE, _feedback(for_true)), (_FALSE, _feedback(for_false))]
    return {"type": "true_false", "answer": _TRUE if value else _FALSE, "notes": notes}


def _short_answer(answer: str) -> dict[str, Any]:
    """Only full-credit answers are accepted; this LMS has no partial credit."""
    parts = answer.split("=")
    if parts[0].strip():
        raise _Skip("unparseable: answers must start with = (short answer) or ~ (choice)")
    accepted, notes = [], []
    for body in parts[1:]:
        body = body.strip()
        weight = 100.0
        if match := _WEIGHT.match(body):
            weight, body = float(match.group(1)), body[match.end():]
        text, _, feedback = body.partition("#")
        text = _clean(text)
        if weight == 100 and text:
            accepted += [text] if text not in accepted else []
            notes.append((text, _feedback(feedback)))  # partial-credit feedback would mislead
    if not accepted:
        raise _Skip("short answer has no full-credit answer (partial credit is not supported)")
    # The string form splits on | ; ；, so an answer containing one keeps the list form.
    key: str | list[str] = accepted if re.search(r"[|;；]", "".join(accepted)) else "|".join(accepted)
    return {"type": "fill_blank", "answer": [key], "notes": notes}


def _escape(text: str) -> str:
    """Moodle's ``repchar``: escape control characters and newlines so a question stays one block."""
    escaped = re.sub(r"[\\~=#{}:]", lambda m: "\\" + m.group(), text)
    return escaped.replace("\r", "").replace("\n", "\\n")


def _text(prompt: str) -> str:
    """Escape a prompt; mark it ``[plain]`` if it would otherwise read as a comment or marker."""
    escaped = _escape(prompt)
    if escaped.startswith(("//", "$CATEGORY:")) or _FORMAT.match(escaped):
        return "[plain]" + escaped
    return escaped


def _weight(count: int) -> str:
    return f"{100 / count:.5f}".rstrip("0").rstrip(".")


def export_gift(questions: list[tuple[str, dict[str, Any]]]) -> str:
    """Write normalised specs (as ``load_spec`` returns them) as a GIFT file."""
    chunks = []
    for type_name, spec in questions:
        comments: list[str] = []
        if spec.get("points", 1) != 1:
            comments.append(f"// points: {spec['points']} (GIFT has no per-question points)")
        general = f"####{_escape(spec['explanation'])}" if spec.get("explanation") else ""
        prompt = spec["prompt"]
        if type_name in ("single_choice", "multiple_choice"):
            single = type_name == "single_choice"
            right = [spec["answer"]] if single else spec["answer"]
            mark, wrong = ("=", "~") if single else (f"~%{_weight(len(right))}%", "~%-100%")
            lines = [f"\t{mark if i in right else wrong}{_escape(option)}"
                     for i, option in enumerate(spec["options"])]
            lines += [f"\t{general}"] if general else []
            body = _text(prompt) + " {\n" + "\n".join(lines) + "\n}"
        elif type_name == "true_false":
            body = f"{_text(prompt)} {{{'TRUE' if spec['answer'] else 'FALSE'}{general}}}"
        elif type_name == "fill_blank":
            key = spec["answer"]
            if len(key) > 1:
                rest = "; ".join(f"blank {n} = {'|'.join(a)}" for n, a in enumerate(key[1:], 2))
                comments.append(f"// {len(key)} blanks: GIFT short answer has one, so the others "
                                f"stay as ____ ({rest})".replace("\n", " "))
            block = "{" + " ".join(f"={_escape(a)}" for a in key[0]) + general + "}"
            match = BLANK.search(prompt)
            before, after = (prompt[:match.start()], prompt[match.end():]) if match else (prompt, "")
            if after.strip():
                body = f"{_text(before)}{block}{_escape(after)}" if before else block + _escape(after)
            else:
                body = f"{_text(before.rstrip())} {block}"
        else:
            chunks.append(f"// skipped: question type {type_name!r} has no GIFT form")
            continue
        chunks.append("\n".join(comments + [body]))
    return "\n\n".join(chunks) + "\n" if chunks else ""
