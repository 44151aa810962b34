"""The written forms of a 匹配题: one ``item -> match`` line, GIFT's ``{=item -> match …}``
and the Excel 选项 cells.

A line is what a trainer types in the browser form, a course file and an Excel 选项 cell, so
all three read the same way. The arrow may be typed as ``->``, ``→`` or with full-width or
Chinese-keyboard characters (``－＞``, ``—>``, ``-》``); a line is split at its first arrow, so
a match may contain one but an item may not. A line with nothing before the arrow
(``-> 干扰项``) is a distractor: a match that belongs to no item.

The GIFT block is read as Moodle's ``question/format/gift/format.php`` reads a matching
question: split on ``=``, at least two parts, each split at its first ``->`` (a part without
one makes the question unreadable); the item may carry a ``[format]`` marker, both sides are
unescaped and trimmed, and a part with an empty item is an extra wrong answer. Moodle gives
matching answers no ``#`` feedback, so a ``#`` stays part of the match's text.
"""

from __future__ import annotations

import re
from typing import Any

from lms.problems import Problem
from lms.questions.excel_form import LETTERS, ExcelCells, ExcelRow
from lms.questions.gift_form import (
    GiftBlock,
    GiftSkip,
    clean,
    escape,
    general_feedback,
    question_text,
)

ARROW = re.compile(r"\s*(?:[-－—–]+\s*[>＞》]|[→⟶➔➜])\s*")


def split_line(line: str) -> tuple[str, str] | None:
    """(item, match) of one written pair, spaces collapsed; None when it has no arrow."""
    found = ARROW.search(line)
    if found is None:
        return None
    return _tidy(line[:found.start()]), _tidy(line[found.end():])


def has_arrow(text: str) -> bool:
    return ARROW.search(text) is not None


def written_lines(spec: dict[str, Any]) -> list[str]:
    """The lines ``load_spec`` reads back as ``spec``: each item's pair, then the distractors."""
    matches, key = spec["answer"]["matches"], spec["answer"]["key"]
    pairs = [f"{item} -> {matches[k]}" for item, k in zip(spec["options"], key, strict=True)]
    return pairs + [f"-> {match}" for i, match in enumerate(matches) if i not in key]


def gift_lines(block: GiftBlock) -> list[str]:
    """The pairs of a ``{=item -> match …}`` block as written lines (``load_spec`` checks
    them, naming any fault); a part empty on both sides is left out, as Moodle does."""
    parts = block.answer.split("=")
    if not parts[0].strip():
        parts = parts[1:]
    if len(parts) < 2:
        raise GiftSkip("matching question needs at least two pairs")
    lines = []
    for part in parts:
        marker = part.find("->")
        if marker < 0:
            raise GiftSkip("matching pair “%(text)s” has no ->", text=_tidy(clean(part)))
        item, match = _tidy(clean(part[:marker])), _tidy(clean(part[marker + 2:]))
        if has_arrow(item):
            raise GiftSkip("matching item “%(text)s” contains an arrow such as →, which here "
                           "ends an item", text=item)
        if item or match:
            lines.append(f"{item} -> {match}" if item else f"-> {match}")
    return lines


def gift_block(spec: dict[str, Any]) -> str:
    """The question as Moodle writes a matching question: ``=item -> match`` per line."""
    matches, key = spec["answer"]["matches"], spec["answer"]["key"]
    lines = [f"\t={question_text(item)} -> {escape(matches[k])}"
             for item, k in zip(spec["options"], key, strict=True)]
    lines += [f"\t= -> {escape(match)}" for i, match in enumerate(matches) if i not in key]
    general = general_feedback(spec)
    lines += [f"\t{general}"] if general else []
    return question_text(spec["prompt"]) + " {\n" + "\n".join(lines) + "\n}"


def excel_lines(row: ExcelRow) -> list[str]:
    """Every filled line of 选项A…, a cell may hold several; a line without an arrow is
    reported (in Chinese, for the trainer) and left out."""
    lines = []
    for letter, cell in zip(LETTERS, row.options, strict=False):
        for line in (part.strip() for part in cell.split("\n")):
            if not line:
                continue
            if not has_arrow(line):
                row.problem(Problem("matching option %(letter)s “%(line)s” must be written as "
                                    "“item -> answer” (a distractor as “→ answer”)",
                                    letter=letter, line=line))
            lines.append(line)
    if not lines:
        row.problem(Problem("a matching question needs at least two “item -> answer” pairs, "
                            "one in each option column"))
    return lines


def excel_cells(spec: dict[str, Any]) -> ExcelCells:
    """One pair per 选项 cell; past eight lines, the cells share them in order, one per line.
    A distractor is written ``→ match``: Excel takes a cell typed starting with ``-`` for a
    formula, so a trainer copying the example would be stopped."""
    lines = [f"→ {line[3:]}" if line.startswith("-> ") else line for line in written_lines(spec)]
    size = -(-len(lines) // len(LETTERS))
    return ExcelCells("", ["\n".join(lines[i:i + size]) for i in range(0, len(lines), size)])


def _tidy(text: str) -> str:
    return " ".join(text.split())
