"""What an Excel 题库 tells the trainer who fills it: the 填写说明 sheet and the example mark.

The template shows one example row per question type. A trainer who uploads it unchanged, or
keeps the examples above their own questions, must not find the examples imported as
questions, so every example's 题干 starts with ``【示例】`` — a mark a trainer sees, and that
goes away by itself when the 题干 is overwritten with a real question. Rows whose 题干 starts
with it are skipped and counted (``lms.content.xlsx_bank``).
"""

from __future__ import annotations

import re
from typing import Any

GUIDE_SHEET = "填写说明"
EXAMPLE_MARK = "【示例】"
#: The mark as a trainer may type it: 【示例】, [示例], ［示例］, with or without spaces.
EXAMPLE = r"\s*[【\[［]\s*示例\s*[】\]］]"
_EXAMPLE_RE = re.compile(EXAMPLE)
EXAMPLE_NOTE = ("题干以“【示例】”开头的行是填写示例，导入时会跳过，不会成为题目。"
                "请在示例下方每行填写一道题；也可以把示例改成自己的题目，并删掉开头的“【示例】”。")


def is_example(prompt_cell: Any) -> bool:
    """Whether a row is one of the template's examples, judged on its 题干 cell as stored
    (an export writes ``'【示例】…`` for a real question that starts so)."""
    return isinstance(prompt_cell, str) and _EXAMPLE_RE.match(prompt_cell) is not None


def mark_example(sheet: Any, row: int, prompt_column: int, width: int, first: bool) -> None:
    """Grey the example row; the first one also carries the note as a cell comment."""
    from openpyxl.comments import Comment  # here: only writing a bank needs openpyxl
    from openpyxl.styles import Font

    grey = Font(color="808080", italic=True)
    for column in range(1, width + 1):
        sheet.cell(row, column).font = grey
    if first:
        comment = Comment(EXAMPLE_NOTE, "题库模板")
        comment.width, comment.height = 320, 110
        sheet.cell(row, prompt_column).comment = comment


def guide_lines(labels: list[tuple[str, ...]], max_rows: int) -> list[tuple[str, str, str]]:
    """The 填写说明 rows; ``labels`` are the 题型 texts of each registered type."""
    types = "、".join(first + (f"（或{'、'.join(others)}）" if others else "")
                     for first, *others in labels)
    return [
        ("示例行", "导入时跳过",
         "模板里每种题型有一行示例，" + EXAMPLE_NOTE + "导入时会提示跳过了几行示例。"),
        ("题型", "必填", f"{types}。"),
        ("题干", "必填", "题目内容。填空题用____（下划线）或空括号（  ）标出每个空。"),
        ("选项A–选项F", "单选、多选、排序题必填",
         "至少填写选项A、选项B，须从A起连续填写，不能跳空；判断、填空、简答题留空。"),
        ("正确答案", "必填（简答题可空）",
         "单选填一个字母，如 A；多选填两个及以上字母，如 ABD、A,B,D 或 A、B、D；判断填“正确”或“错误”"
         "（也可填“对”/“错”）；填空题多个空之间用“|”分隔，同一个空有多种正确写法时用“;”分隔，"
         "如 党课|月;个月；排序题按正确顺序填写选项字母，如 CABD；简答题填写参考答案；"
         "数值题填写数值，可带误差或范围，如 3.14±0.01 或 1..5，多个答案用“；”分隔，"
         "部分得分在后面加 (50%)，数值题的单位填在选项列（可空）。其他题型的写法见该题型的示例行。"
         "列名也可写作“答案”。"),
        ("解析", "可空", "交卷后向学员显示的答案解析。"),
        ("分值", "可空", "正整数，留空按1分计。"),
        ("难度", "可空", "简单、中等或困难（也可写易、中、难）。此列可删除。"),
        ("知识点", "可空", "自由填写，如 党章、组织生活，最多100字。此列可删除。"),
        ("名称、格式", "可空",
         "只在导出的题目需要时出现：名称是题目的名称（如 Moodle 题目名）；格式为 HTML 或 Markdown "
         "时题干按该格式显示，留空为纯文本。"),
        ("其他", "", "第1行为表头，按列名识别，列的顺序可以调整；从第2行起每行一道题，空行会跳过；"
                     f"每个文件最多{max_rows}道题。只要有一行有问题，整个文件都不会导入，"
                     "系统会列出所有问题（如“第3行: 缺少题干”），改正后重新上传即可。"
                     "以 =、+、-、@ 开头的内容导出时前面会加一个单引号 '，防止被 Excel 当作公式执行，"
                     "导入时会自动去掉。"),
    ]


def write_guide(sheet: Any, lines: list[tuple[str, str, str]]) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.append(["列名", "是否必填", "填写说明"])
    for line in lines:
        sheet.append(list(line))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in (("A", 14), ("B", 22), ("C", 90)):
        sheet.column_dimensions[letter].width = width
    for cell in sheet["C"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
