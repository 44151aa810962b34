"""Feedback per option: what a 单选/多选 option, or 判断题's 正确/错误, says to the trainee who
chose it, shown after submission (Moodle's per-answer feedback, GIFT ``~Lyon#Too far south``).

A question row stores only the usual columns, and options reach the browser before
submission, so the feedback lives in the answer key: ``{"key": <the usual key>, "feedback":
[one text per option, "" for none]}``, and only when some option has feedback. Every
definition without any keeps its key, and its content hash, as before. Course files write it
as ``feedback:`` mapping labels to texts (``B: 党章总纲规定……``), the browser form as lines
``B：党章总纲规定……``; a label is an option letter as written in the file, or 正确/错误. An
Excel row writes it after its option, ``中央委员会 # 反馈`` (as 填空题 and 数值题 answers do).
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l

from lms.problems import SpecError
from lms.questions.question_form import FormField

_LINE = re.compile(r"^\s*([^:：\s]+)\s*[:：]\s*(.*)$", re.S)
_CELL_NOTE = re.compile(r"\s#\s*")


def split(answer: Any) -> tuple[Any, list[str] | None]:
    """(the usual key, the feedback per option or None)."""
    if isinstance(answer, dict) and "key" in answer:
        return answer["key"], answer.get("feedback")
    return answer, None


def key(answer: Any) -> Any:
    return split(answer)[0]


def join(key_: Any, feedback: list[str] | None) -> Any:
    """The answer key to store: the usual key alone when no option has feedback."""
    return {"key": key_, "feedback": list(feedback)} if feedback and any(feedback) else key_


def read(raw: dict[str, Any], labels: list[str],
         aliases: dict[str, str] | None = None) -> list[str] | None:
    """A definition's ``feedback`` as one text per label, None when it gives none.

    A mapping ``{B: text}`` or lines ``B：text``; ``aliases`` maps other spellings of a
    label, lower-cased (对 → 正确); letters may be lower case."""
    given = raw.get("feedback")
    if given in (None, "", [], {}):
        return None
    if isinstance(given, str):
        given = given.splitlines()
    if isinstance(given, list):
        pairs = []
        for line in given:
            match = _LINE.match(line) if isinstance(line, str) else None
            if match is None:
                raise SpecError("feedback", "write each line as the option, a colon and the "
                                            "feedback, such as B：…")
            pairs.append(match.groups())
    elif isinstance(given, dict):
        pairs = list(given.items())
    else:
        raise SpecError("feedback", "must map options to feedback, such as B：…")
    texts = [""] * len(labels)
    for label, text in pairs:
        name = str(label).strip()
        name = (aliases or {}).get(name.lower(), name.upper() if name.isascii() else name)
        if name not in labels:
            raise SpecError("feedback", "%(label)s is not one of %(labels)s",
                            label=str(label).strip(), labels="、".join(labels))
        if isinstance(text, bool) or not isinstance(text, (str, int, float)):
            raise SpecError("feedback", "the feedback for %(label)s must be text", label=name)
        if texts[labels.index(name)]:
            raise SpecError("feedback", "%(label)s has feedback twice", label=name)
        texts[labels.index(name)] = " ".join(str(text).split())
    return texts if any(texts) else None


def written(feedback: list[str] | None, labels: list[str]) -> dict[str, str]:
    """The ``feedback:`` mapping a course file writes (labels without feedback left out)."""
    return {label: text for label, text in zip(labels, feedback or [], strict=False) if text}


def as_lines(mapping: dict[str, str] | None) -> list[str]:
    """The form's lines for a written mapping."""
    return [f"{label}：{text}" for label, text in (mapping or {}).items()]


def remap(feedback: list[str] | None, order: list[int]) -> list[str] | None:
    """Feedback following its options after a shuffle (new position n shows old order[n])."""
    return [feedback[i] for i in order] if feedback else None


def chosen(feedback: list[str] | None, indexes: list[int], labels: list[str] | None = None
           ) -> str:
    """The feedback of the chosen options, each after its label when ``labels`` are given."""
    texts = []
    for index in indexes:
        text = feedback[index] if feedback and 0 <= index < len(feedback) else ""
        if text:
            texts.append(f"{labels[index]}：{text}" if labels else text)
    return " ".join(texts)


def with_field(fields: list[FormField], help_text: Any) -> list[FormField]:
    """``fields`` with the feedback field right after the explanation."""
    field = FormField("feedback", "lines", _l("Feedback per option"), help_text)
    kept = [f for f in fields if f.name != "feedback"]
    at = next((i + 1 for i, f in enumerate(kept) if f.name == "explanation"), len(kept))
    return kept[:at] + [field] + kept[at:]


def split_cell(cell: str) -> tuple[str, str]:
    """An Excel cell ``中央委员会 # 反馈`` as (text, feedback)."""
    match = _CELL_NOTE.search(cell)
    return (cell[:match.start()].strip(), cell[match.end():].strip()) if match else (cell, "")


def cell(text: str, note: str) -> str:
    """The Excel cell ``split_cell`` reads back as (text, note); ValueError if none does."""
    if _CELL_NOTE.search(text) or text != text.strip():
        raise ValueError("an option containing “ #” cannot be an Excel cell")
    return f"{text} # {note}" if note else text
