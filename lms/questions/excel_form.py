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

LETTERS = "ABCDEFGH"  # 选项A–选项H: the eight options a choice question may have
_SEPARATORS = re.compile(r"[\s,，、;；/>→]")


@dataclass(frozen=True)
class ExcelRow:
    """One row's cells as stripped text, for ``QuestionType.excel_read``.

    ``options`` runs from 选项A to the last filled option cell, so an inner gap is ``""``.
    Report a problem with ``problem(message)``, in Chinese, for the trainer; the framework
    adds the row number and imports nothing while any row has one.
    """

    prompt: str
    answer: str
    options: list[str]
    problems: list[str] = field(default_factory=list)

    def problem(self, message: str) -> None:
        self.problems.append(message)


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
        row.problem(f"选项{LETTERS[gap]}为空，但选项{LETTERS[later]}有内容（选项须从A起连续填写）")
        return None
    if len(values) < 2:
        row.problem("至少需要两个选项（选项A、选项B）")
        return None
    for i in range(1, len(values)):
        if values[i] in values[:i]:
            row.problem(f"选项{LETTERS[i]}与选项{LETTERS[values.index(values[i])]}内容相同")
            return None
    return values


def read_letters(row: ExcelRow, count: int) -> str | None:
    """正确答案 as option letters (``A,B、D`` → ``ABD``), or None after reporting why not."""
    answer = row.answer
    letters = _SEPARATORS.sub("", unicodedata.normalize("NFKC", answer).upper())
    if not answer:
        row.problem("缺少正确答案")
    elif not re.fullmatch(r"[A-Z]+", letters):
        row.problem(f"正确答案“{answer}”应为选项字母，如 A 或 ABD")
    elif outside := "".join(dict.fromkeys(c for c in letters if c not in LETTERS[:count])):
        row.problem(f"正确答案“{outside}”不在选项范围内（A–{LETTERS[count - 1]}）")
    elif twice := "".join(dict.fromkeys(c for c in letters if letters.count(c) > 1)):
        row.problem(f"正确答案中“{twice}”重复")
    else:
        return letters
    return None
