"""Excel bank cells shared by the workbook framework (``lms.content.xlsx_bank``) and each type.

The framework owns the sheet: headers, 题型, 题干, 解析, 分值, 难度 and 知识点. A type only
turns 选项A… and 正确答案 into its definition (``excel_read``) and back (``excel_write``), so
a plugin type gets a row of its own without a new column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

from lms.problems import Problem

LETTERS = "ABCDEFGH"  # 选项A–选项H: the eight options a choice question may have
_SEPARATORS = re.compile(r"[\s,，、;；/>→]")


@dataclass(frozen=True)
class ExcelRow:
    """One row's cells as stripped text, for ``QuestionType.excel_read``.

    ``options`` runs from 选项A to the last filled option cell, so an inner gap is ``""``.
    Report a problem with ``problem(message)``: a ``lms.problems.Problem`` (an English msgid,
    shown in the trainer's language) or, as before, plain text shown as written. The framework
    adds the row number and imports nothing while any row has one.
    """

    prompt: str
    answer: str
    options: list[str]
    problems: list[Problem] = field(default_factory=list)

    def problem(self, message: str | Problem) -> None:
        self.problems.append(message if isinstance(message, Problem) else Problem(message))


class ExcelCells(NamedTuple):
    """What ``QuestionType.excel_write`` fills in: 正确答案 and 选项A… (at most eight)."""

    answer: str
    options: tuple[str, ...] | list[str] = ()


def read_options(row: ExcelRow) -> list[str] | None:
    """选项A… as a list of two or more distinct texts, or None after reporting why not."""
    values = row.options
    gap = next((i for i, value in enumerate(values) if not value), None)
    if gap is not None:
        later = next(i for i in range(gap, len(values)) if values[i])
        row.problem(Problem("option %(gap)s is empty but option %(later)s is filled in (fill the "
                            "options from A on without gaps)", gap=LETTERS[gap],
                            later=LETTERS[later]))
        return None
    if len(values) < 2:
        row.problem(Problem("at least two options are needed (options A and B)"))
        return None
    for i in range(1, len(values)):
        if values[i] in values[:i]:
            row.problem(Problem("option %(option)s has the same text as option %(other)s",
                                option=LETTERS[i], other=LETTERS[values.index(values[i])]))
            return None
    return values


def read_letters(row: ExcelRow, count: int) -> str | None:
    """正确答案 as option letters (``A,B、D`` → ``ABD``), or None after reporting why not."""
    answer = row.answer
    letters = _SEPARATORS.sub("", unicodedata.normalize("NFKC", answer).upper())
    if not answer:
        row.problem(Problem("the answer is missing"))
    elif not re.fullmatch(r"[A-Z]+", letters):
        row.problem(Problem("the answer “%(answer)s” must be option letters, such as A or ABD",
                            answer=answer))
    elif outside := "".join(dict.fromkeys(c for c in letters if c not in LETTERS[:count])):
        row.problem(Problem("the answer “%(answer)s” is not among the options (A–%(last)s)",
                            answer=outside, last=LETTERS[count - 1]))
    elif twice := "".join(dict.fromkeys(c for c in letters if letters.count(c) > 1)):
        row.problem(Problem("the answer gives “%(answer)s” twice", answer=twice))
    else:
        return letters
    return None
