"""The written forms of a 数值题 answer: one line of text, and GIFT's ``{#…}`` block.

One line is what a trainer types in the form, a course file and the Excel 正确答案 cell
(``3.14±0.01``, ``1..5``, ``3.1±0.1 (50%) # 接近了``), so all three read the same way. The
GIFT block is read as Moodle's ``question/format/gift/format.php`` reads it: answers split on
``=``, ``%n%`` credit, ``value:tolerance`` or ``min..max``, ``#`` feedback, and everything
from a ``~`` on is the feedback for any other number (Moodle's ``*`` answer).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from lms.problems import Problem
from lms.questions.gift_form import (
    GiftBlock,
    GiftSkip,
    clean,
    escape,
    feedback,
    general_feedback,
    question_text,
)

_CREDIT = re.compile(r"\s*[(（]\s*(-?[\d.]+)\s*[%％]\s*[)）]\s*$")
_WEIGHT = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
_TOLERANCE = re.compile(r"±|\+/?-|:")
_RANGE = re.compile(r"\.\.|~")


def number(text: str) -> Decimal:
    """A decimal from trainer-typed text (full-width and 。 allowed); a ``Problem`` (a
    ValueError) otherwise."""
    folded = "".join(unicodedata.normalize("NFKC", text).replace("。", ".").split())
    try:
        value = Decimal(folded.replace("\u2212", "-"))
    except InvalidOperation:
        raise Problem("“%(text)s” is not a number", text=text.strip()) from None
    if not value.is_finite():
        raise Problem("“%(text)s” is not a number", text=text.strip())
    return value


def canonical(value: Decimal) -> str:
    """``3.140`` → ``3.14``, ``1E+2`` → ``100``: one spelling per number, for equal specs."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def parse_line(line: str) -> dict[str, Any]:
    """One accepted answer, normalised; ValueError says what is wrong with it."""
    body, _, note = line.partition("#")
    credit: float = 100
    if weight := _WEIGHT.match(body):
        credit, body = float(weight.group(1)), body[weight.end():]
    elif match := _CREDIT.search(body):
        credit, body = float(number(match.group(1))), body[:match.start()]
    if not 0 <= credit <= 100:
        raise Problem("credit must be between 0% and 100%")
    credit = int(credit) if credit == int(credit) else round(credit, 5)
    entry: dict[str, Any]
    body = unicodedata.normalize("NFKC", body).strip()
    if body == "*":
        entry = {"value": "*", "tolerance": "0"}
    elif (split := _RANGE.search(body)) and split.start() > 0:
        low, high = number(body[:split.start()]), number(body[split.end():])
        if low > high:
            raise Problem("the range %(range)s runs from the larger number to the smaller",
                          range=body)
        entry = {"min": canonical(low), "max": canonical(high)}
    elif (split := _TOLERANCE.search(body)) and split.start() > 0:
        value, tolerance = number(body[:split.start()]), number(body[split.end():])
        if tolerance < 0:
            raise Problem("a tolerance cannot be negative")
        entry = {"value": canonical(value), "tolerance": canonical(tolerance)}
    else:
        entry = {"value": canonical(number(body)), "tolerance": "0"}
    return {**entry, "credit": credit, "feedback": " ".join(note.split())}


def written_line(entry: dict[str, Any]) -> str:
    """The line ``parse_line`` reads back as ``entry``."""
    if "min" in entry:
        body = f"{entry['min']}..{entry['max']}"
    elif entry.get("tolerance", "0") not in ("0", 0):
        body = f"{entry['value']}±{entry['tolerance']}"
    else:
        body = str(entry["value"])
    credit = entry.get("credit", 100)
    line = body if credit == 100 else f"{body} ({credit}%)"
    return f"{line} # {entry['feedback']}" if entry.get("feedback") else line


def gift_answers(block: GiftBlock) -> list[str]:
    """The answers of a ``{#…}`` block as lines (``load_spec`` checks them, naming any fault)."""
    text = block.answer[1:]
    text, tilde, other = text.partition("~")
    parts = text.split("=")
    if not parts[0].strip():
        parts = parts[1:]
    if not parts:
        raise GiftSkip("numerical question has no answer")
    lines = []
    for part in parts:
        body, _, note = part.strip().partition("#")
        weight = ""
        if match := _WEIGHT.match(body):
            weight, body = f" ({match.group(1)}%)", body[match.end():]
        body = clean(body)
        if not body:
            raise GiftSkip("numerical answer is empty")
        # Moodle: min..max if '..' is past the start, else value:tolerance, else exact.
        if body.find("..") > 0:
            low, high = body.split("..", 1)
            body = f"{low.strip()}..{high.strip()}"
        elif body.find(":") > 0:
            value, tolerance = body.split(":", 1)
            body = f"{value.strip()}:{tolerance.strip()}"
        elif _RANGE.search(body) or _TOLERANCE.search(body):
            raise GiftSkip("numerical answer “%(text)s” is not a number", text=body)
        note = feedback(note)
        lines.append(body + weight + (f" # {note}" if note else ""))
    if tilde:
        note = feedback(other.partition("#")[2])
        lines.append("* (0%)" + (f" # {note}" if note else ""))
    return lines


def gift_block(spec: dict[str, Any]) -> str:
    """The question as Moodle writes a numerical question: ``=%n%value:tolerance#feedback``."""
    comments = []
    if units := spec["answer"]["units"]:
        comments.append(f"// units: {', '.join(units)} (GIFT numerical has no units, "
                        "so they are left out)")
    answers, other = [], None
    for entry in spec["answer"]["accepted"]:
        if entry.get("value") == "*" and entry["credit"] == 0 and other is None:
            other = entry
            continue
        if "min" in entry:
            body = f"{entry['min']}..{entry['max']}"
        elif entry["tolerance"] != "0":
            body = f"{entry['value']}:{entry['tolerance']}"
        else:
            body = entry["value"]
        weight = "" if entry["credit"] == 100 else f"%{entry['credit']}%"
        note = f"#{escape(entry['feedback'])}" if entry["feedback"] else ""
        answers.append(f"={weight}{body}{note}")
    if len(answers) == 1 and other is None and not answers[0].startswith("=%"):
        inner = answers[0][1:]
    else:
        inner = " ".join(answers)
    if other is not None:
        inner += " ~" + (f"#{escape(other['feedback'])}" if other["feedback"] else "")
    body = f"{question_text(spec['prompt'])} {{#{inner}{general_feedback(spec)}}}"
    return "\n".join(comments + [body])
