"""A 填空题 blank's accepted answers with credit and feedback: the stored shape, the line a
trainer writes, and GIFT's short answer.

An accepted answer is stored as its text, or, when it earns less than full credit or has
feedback, as ``{"text": …, "credit": 50, "feedback": …}``; a blank holds a list of them. So
every definition written before partial credit existed keeps its answer key, and its
content hash. A blank is written as one line (course files, the form, the Excel cell):
``猫|小猫 (50%) # 接近了|* (0%) # 再想想`` — answers separated by ``|`` (or ``;``/``；``),
a space and ``(50%)`` after one for partial credit, and a space, ``#`` and the feedback
shown to a trainee who gives it (``C#`` and ``增长（5%）``, with no space, stay answers). ``*`` alone accepts any other answer
(Moodle's wildcard, usually at 0 % with feedback).

GIFT short answer ``{=Cat =%50%Kitten#Nearly}`` is read as Moodle reads it: an answer
without a ``%n%`` weight earns full credit, ``#`` starts its feedback.
"""

from __future__ import annotations

import re
from typing import Any

from lms.problems import Problem
from lms.questions.gift_form import GiftBlock, GiftSkip, escape

ANY = "*"
SEPARATORS = re.compile(r"[|;；]")
_CREDIT = re.compile(r"\s+[(（]\s*(-?\d+(?:\.\d+)?)\s*[%％]\s*[)）]\s*$")
_NOTE = re.compile(r"\s#")

Item = str | dict[str, Any]


def item(text: str, credit: float = 100, feedback: str = "") -> Item:
    """An accepted answer in its stored shape; ``Problem`` if the credit is out of range."""
    if not 0 <= credit <= 100:
        raise Problem("credit must be between 0% and 100%")
    credit = int(credit) if credit == int(credit) else round(credit, 5)
    note = " ".join(feedback.split())
    text = text.strip()
    return text if credit == 100 and not note else {"text": text, "credit": credit,
                                                     "feedback": note}


def text_of(entry: Item) -> str:
    return entry if isinstance(entry, str) else entry["text"]


def credit_of(entry: Item) -> float:
    return 100 if isinstance(entry, str) else entry["credit"]


def feedback_of(entry: Item) -> str:
    return "" if isinstance(entry, str) else entry["feedback"]


def parse_written(segment: str) -> Item:
    """One answer as written: ``小猫 (50%) # 接近了``."""
    body, note = segment, ""
    if match := _NOTE.search(segment):
        body, note = segment[:match.start()], segment[match.end():]
    credit = 100.0
    if match := _CREDIT.search(body):
        credit, body = float(match.group(1)), body[:match.start()]
    return item(body, credit, note)


def read_blank(value: Any) -> list[Item]:
    """A blank's answers from a course file: a line (parsed), or a list whose texts are
    taken as they are (for answers holding ``|`` or `` #``) and whose mappings give
    ``text``, ``credit`` and ``feedback``."""
    if not isinstance(value, list):
        return [parse_written(part) for part in SEPARATORS.split(str(value)) if part.strip()]
    entries = []
    for entry in value:
        if isinstance(entry, dict):
            credit = entry.get("credit", 100)
            if isinstance(credit, bool) or not isinstance(credit, (int, float)):
                raise Problem("credit must be between 0% and 100%")
            entries.append(item(str(entry.get("text") or ""), credit,
                                str(entry.get("feedback") or "")))
        elif str(entry).strip():
            entries.append(str(entry).strip())
    return entries


def written_answer(entry: Item) -> str:
    credit = credit_of(entry)
    line = text_of(entry) if credit == 100 else f"{text_of(entry)} ({credit}%)"
    return f"{line} # {feedback_of(entry)}" if feedback_of(entry) else line


def written_line(entries: list[Item], separator: str = "|") -> str:
    return separator.join(written_answer(entry) for entry in entries)


def reads_back(line: str, entries: list[Item]) -> bool:
    try:
        return read_blank(line) == entries
    except Problem:
        return False


def written_blank(entries: list[Item]) -> str | list[Item]:
    """The line when it reads back the same, else the list (texts taken as they are)."""
    line = written_line(entries)
    return line if reads_back(line, entries) else list(entries)


def gift_entries(block: GiftBlock) -> list[Item]:
    """A short answer's answers, each with its credit and feedback (a weight out of range is
    kept as written, for ``load_spec`` to name)."""
    leading, answers = block.answers()
    if leading:
        raise GiftSkip("unparseable: answers must start with = (short answer) or ~ (choice)")
    entries: list[Item] = []
    for answer in answers:
        if ANY in answer.text and answer.text != ANY:
            raise GiftSkip("unsupported: the * wildcard inside the short answer “%(text)s”",
                           text=answer.text)
        if answer.text and all(text_of(e) != answer.text for e in entries):
            weight = 100 if answer.weight is None else answer.weight
            try:
                entries.append(item(answer.text, weight, answer.feedback))
            except Problem:
                entries.append({"text": answer.text, "credit": weight,
                                "feedback": answer.feedback})
    return entries


def gift_answers(entries: list[Item]) -> str:
    """``=Cat =%50%Kitten#Nearly``, as Moodle writes a short answer's answers."""
    parts = []
    for entry in entries:
        weight = "" if credit_of(entry) == 100 else f"%{credit_of(entry)}%"
        note = f"#{escape(feedback_of(entry))}" if feedback_of(entry) else ""
        parts.append(f"={weight}{escape(text_of(entry))}{note}")
    return " ".join(parts)
