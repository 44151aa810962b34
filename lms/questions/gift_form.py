"""GIFT syntax shared by the GIFT framework (``lms.content.gift``) and each type's GIFT form.

The framework cuts a question into a ``GiftBlock`` and names its construct the way Moodle's
``question/format/gift/format.php`` does; the types that list that construct in
``gift_kinds`` turn it into a course-file definition. Escaped characters (``\\~``, ``\\=``…)
are hidden as private-use placeholders in ``answer``, ``before`` and ``after`` so splitting
on a marker is always safe; pass every piece you keep through ``clean`` or ``feedback``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from lms.problems import Problem

#: Moodle's constructs, in the order the framework tells them apart.
KINDS = ("description", "essay", "numerical", "choice", "matching", "true_false",
         "short_answer")
TF_WORDS = {"T": True, "TRUE": True, "F": False, "FALSE": False}
FORMAT = re.compile(r"^\[(?:markdown|html|plain|moodle)\]")
_ESCAPES = {c: chr(0xE000 + i) for i, c in enumerate("\\~=#{}:n")}
_RESTORE = {p: "\n" if c == "n" else c for c, p in _ESCAPES.items()}
_ESCAPED = re.compile(r"\\([\\~=#{}:n])")
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")


class GiftSkip(Problem):
    """A question that cannot be imported; the message (an English msgid with ``%(name)s``
    params, lms.problems) is the reason shown to the trainer in the page's language. A
    ``kind`` param (one of ``KINDS``) is shown by its label."""

    def translated(self) -> str:
        from flask_babel import gettext

        params = dict(self.params)
        if params.get("kind") in KIND_LABELS:
            params["kind"] = str(KIND_LABELS[params["kind"]])
        return gettext(self.msgid, **params)


#: Moodle's constructs as a trainer knows them.
KIND_LABELS = {
    "description": _l("description: text without an answer block"),
    "essay": _l("essay {}"), "numerical": _l("numerical {#…}"),
    "choice": _l("multiple choice"), "matching": _l("matching {=a -> b}"),
    "true_false": _l("true/false"), "short_answer": _l("short answer"),
}


def hide_escapes(text: str) -> str:
    return _ESCAPED.sub(lambda m: _ESCAPES[m.group(1)], text)


def clean(text: str) -> str:
    """Drop a leading ``[markdown]``-style format marker and unescape; the text is kept as is."""
    return "".join(_RESTORE.get(ch, ch) for ch in FORMAT.sub("", text.strip(), count=1)).strip()


def feedback(text: str) -> str:
    return " ".join(clean(text).split())


@dataclass(frozen=True)
class GiftAnswer:
    """One ``=`` or ``~`` answer; ``weight`` is its ``%n%`` or None when it has none."""

    marker: str
    weight: float | None
    text: str
    feedback: str


@dataclass(frozen=True)
class GiftBlock:
    """One question: the text ``before`` and ``after`` its ``{…}`` and what is inside."""

    kind: str
    before: str
    after: str
    answer: str  # inside the braces, general feedback (``####…``) removed
    general: str  # the general feedback, cleaned

    @property
    def missing_word(self) -> bool:
        """Moodle: text after the block means the blank is there."""
        return bool(self.after.strip())

    def prompt(self, blank_at_end: bool = False) -> str:
        """The question text with ``____`` where the block was (or appended, if asked)."""
        if self.missing_word:
            return clean(self.before + "____" + self.after)
        return clean(self.before.rstrip() + " ____" if blank_at_end else self.before)

    def answers(self) -> tuple[str, list[GiftAnswer]]:
        """Split on ``=``/``~``: (text before the first marker, each answer)."""
        parts = re.split(r"([=~])", self.answer)
        answers = []
        for marker, body in zip(parts[1::2], parts[2::2], strict=True):
            body, weight = body.strip(), None
            if match := _WEIGHT.match(body):
                weight, body = float(match.group(1)), body[match.end():]
            text, _, note = body.partition("#")
            answers.append(GiftAnswer(marker, weight, clean(text), feedback(note)))
        return parts[0].strip(), answers

    def explanation(self, notes: list[tuple[str, str]]) -> str:
        """General feedback, then per-answer feedback as ``B：text`` lines (shared ones merged)."""
        grouped: dict[str, list[str]] = {}
        for label, text in notes:
            if text:
                grouped.setdefault(text, []).append(label)
        lines = [f"{' / '.join(labels)}：{text}" for text, labels in grouped.items()]
        return "\n".join(([self.general] if self.general else []) + lines)


def escape(text: str) -> str:
    """Moodle's ``repchar``: escape control characters and newlines; a question stays one block."""
    escaped = re.sub(r"[\\~=#{}:]", lambda m: "\\" + m.group(), text)
    return escaped.replace("\r", "").replace("\n", "\\n")


def question_text(prompt: str) -> str:
    """Escape a prompt; mark it ``[plain]`` if it would otherwise read as a comment or marker."""
    escaped = escape(prompt)
    if escaped.startswith(("//", "$CATEGORY:")) or FORMAT.match(escaped):
        return "[plain]" + escaped
    return escaped


def general_feedback(spec: dict[str, Any]) -> str:
    """The explanation as GIFT general feedback (``####…``), or nothing."""
    return f"####{escape(spec['explanation'])}" if spec.get("explanation") else ""


def percent(count: int) -> str:
    """The ``%n%`` weight of one of ``count`` equal answers, as Moodle writes it."""
    return f"{100 / count:.5f}".rstrip("0").rstrip(".")
