"""Excel 题库 (question bank) import and export: pure functions over xlsx bytes.

Training staff keep banks in Excel, one question per row under a header row::

    题型 | 题干 | 选项A … 选项F | 正确答案 | 解析 | 分值 | 难度 | 知识点

Columns are found by their header text, so a reordered sheet still imports; ``答案`` may stand
for ``正确答案``; 选项C–选项F (and 选项G/选项H, up to the eight a choice question allows), 难度
and 知识点 are optional columns. This module owns the sheet; each question type of the app's
registry owns its 题型 labels and how 选项 and 正确答案 hold its answer (``excel_labels``,
``excel_read``, ``excel_write``). The built-in types write 正确答案 so:

- 单选题/多选题: option letters ``A``, ``ABD``, ``A,B,D`` or ``A、B、D``
- 判断题: ``正确``/``错误`` (also ``对``/``错``)
- 填空题: ``|`` separates blanks, ``;`` or ``；`` separates accepted answers of one blank, e.g.
  ``党课|月;个月``. Blanks in 题干 are ``____`` or empty brackets ``（  ）``/``()``, which become
  ``____``. (The training rules allow either separator for alternatives; in a sheet ``|`` is
  taken for blanks so that several blanks fit in one cell.)
- 排序题: the option letters in the correct order, e.g. ``CABD``
- 简答题: the reference answer text, may be left empty
- 数值题: accepted numbers separated by ``；``, e.g. ``3.14±0.01；3.1..3.2 (50%)``; 选项A… hold
  the units, if any

Like the course loader, every row is checked before anything is returned, so a trainer fixes
the whole list at once and a bank is never half imported. Export prefixes text that Excel would
run as a formula with an apostrophe (formula injection); import strips it again, so a round trip
is lossless.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lms.plugins import QuestionTypeRegistry
from lms.questions import BUILTIN_TYPES, QuestionType, SpecError
from lms.questions.base import NoFormat
from lms.questions.excel_form import LETTERS, ExcelRow

MAX_ROWS = 2000
SHEET = "题库"
GUIDE_SHEET = "填写说明"
TEMPLATE_OPTIONS = 6  # 选项A–选项F; G/H are added to an export only when a question needs them
DIFFICULTIES = ("简单", "中等", "困难")
FIELD_NAMES = {"prompt": "题干", "options": "选项", "answer": "正确答案", "points": "分值",
               "explanation": "解析"}
HEADERS = {"题型": "type", "题干": "prompt", "正确答案": "answer", "答案": "answer",
           "解析": "explanation", "分值": "points", "难度": "difficulty", "知识点": "topic",
           **{f"选项{letter}": letter for letter in LETTERS}}
REQUIRED = ("题型", "题干", "选项A", "选项B", "正确答案", "解析", "分值")
UNREADABLE = "无法读取文件：不是有效的 Excel（.xlsx）文件"
# Excel runs a cell starting with one of these as a formula; an apostrophe in front defuses it.
# Apostrophes already in front are counted so that the escape round-trips for any text.
NEEDS_ESCAPE = re.compile(r"'*[=+\-@\t\r]")
ESCAPED = re.compile(r"'+[=+\-@\t\r]")


@dataclass(frozen=True)
class ImportedRow:
    row: int  # 1-based sheet row, for messages
    raw: dict[str, Any]  # course-file format accepted by registry[raw["type"]].load_spec
    difficulty: str | None
    topic: str | None


class BankInvalid(Exception):
    """The bank was rejected; ``problems`` lists every reason, in Chinese, for the trainer."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


# ---------------------------------------------------------------- reading


def read_question_bank(data: bytes, registry: QuestionTypeRegistry) -> list[ImportedRow]:
    """Parse and validate a bank; raise ``BankInvalid`` with every problem, or return all rows."""
    try:  # data_only: a formula cell counts as the value the trainer saw in Excel
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise BankInvalid([UNREADABLE]) from error
    try:
        sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
        sheet.reset_dimensions()  # trust the cells, not a possibly stale <dimension> tag
        rows = sheet.iter_rows(values_only=True)
        columns = _columns(next(rows, ()))
        types = _types_by_label(registry.types())
        problems: list[str] = []
        imported: list[ImportedRow] = []
        count = 0
        for number, values in enumerate(rows, start=2):
            cells = {key: values[i] if i < len(values) else None for key, i in columns.items()}
            if all(_text(value) == "" for value in cells.values()):
                continue
            count += 1
            if count > MAX_ROWS:
                raise BankInvalid([f"题库最多{MAX_ROWS}道题，请拆分成多个文件分别导入"])
            row = _read_row(number, cells, types, problems)
            if row is not None:
                imported.append(row)
    finally:
        workbook.close()
    if count == 0:
        problems.append("没有找到题目：请从第2行起每行填写一道题")
    if problems:
        raise BankInvalid(problems)
    return imported


def _types_by_label(types: list[QuestionType]) -> dict[str, QuestionType]:
    """题型 texts to types; a label taken by an earlier (built-in) type stays with it."""
    by_label: dict[str, QuestionType] = {}
    for question_type in types:
        for label in question_type.excel_labels:
            by_label.setdefault(label, question_type)
    return by_label


def _columns(header: tuple[Any, ...]) -> dict[str, int]:
    """Map field keys to column indexes; a header problem stops the import at once."""
    columns: dict[str, int] = {}
    problems = []
    for index, value in enumerate(header):
        title = _header(value)
        key = HEADERS.get(title)
        if key is None:
            continue  # extra columns such as 序号 or 备注 are allowed
        if key in columns:
            problems.append(f"第1行: 表头“{title}”重复（“答案”与“正确答案”是同一列）"
                            if key == "answer" else f"第1行: 表头“{title}”重复")
        columns.setdefault(key, index)
    missing = [title for title in REQUIRED if HEADERS[title] not in columns]
    if missing:
        problems.append("第1行: 缺少必填列：" + "、".join(missing))
    present = [letter in columns for letter in LETTERS]
    for index in range(2, len(LETTERS)):
        if present[index] and not present[index - 1]:
            problems.append(f"第1行: 有“选项{LETTERS[index]}”列却缺少“选项{LETTERS[index - 1]}”列")
            break
    if problems:
        raise BankInvalid(problems)
    return columns


def _header(value: Any) -> str:
    """Header text with spaces removed, so " 选项 a " still names 选项A."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", _text(value))).upper()


def _text(value: Any) -> str:
    """Cell value as stripped text: 2.0 becomes "2", and an export's escape is undone."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if ESCAPED.match(text):
        text = text[1:]
    return text.strip()


def _read_row(number: int, cells: dict[str, Any], types: dict[str, QuestionType],
              problems: list[str]) -> ImportedRow | None:
    """Check one row; its type reads 选项 and 正确答案, this function everything else."""
    text = {key: _text(value) for key, value in cells.items()}
    label, prompt = text["type"], text["prompt"]
    question_type = types.get(label)
    row = ExcelRow(prompt, text["answer"],
                   _filled([text.get(letter, "") for letter in LETTERS]))
    if not label:
        row.problem("缺少题型")
    elif question_type is None:
        accepted = dict.fromkeys(t.excel_labels[0] for t in types.values())
        row.problem(f"题型“{label}”无法识别，可填：{'、'.join(accepted)}")
    if not prompt:
        row.problem("缺少题干")
    raw: dict[str, Any] = {"type": question_type.name if question_type else None,
                           "prompt": prompt}
    if question_type is not None:
        raw.update(question_type.excel_read(row))
    if text["explanation"]:
        raw["explanation"] = text["explanation"]
    raw["points"] = _points(cells["points"])
    if raw["points"] is None:
        row.problem(f"分值“{text['points']}”应为正整数")
    difficulty = text.get("difficulty") or None
    if difficulty is not None and difficulty not in DIFFICULTIES:
        row.problem(f"难度“{difficulty}”应为简单、中等或困难（也可留空）")
    if not row.problems and question_type is not None:
        try:
            question_type.load_spec(raw)
        except SpecError as error:
            row.problem(f"{FIELD_NAMES.get(error.field, error.field)}: {error.message}")
    problems.extend(f"第{number}行: {message}" for message in row.problems)
    if row.problems:
        return None
    return ImportedRow(number, raw, difficulty, text.get("topic") or None)


def _filled(options: list[str]) -> list[str]:
    """选项A… up to the last one filled in, keeping any gap before it as ""."""
    count = max((i + 1 for i, value in enumerate(options) if value), default=0)
    return options[:count]


def _points(value: Any) -> int | None:
    """分值: empty means 1; 2, 2.0 and "2" mean 2; anything else is None (a problem)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        text = unicodedata.normalize("NFKC", _text(value))
        if not text:
            return 1
        if not re.fullmatch(r"\d+(\.0*)?", text):
            return None
        value = int(float(text))
    return value if value >= 1 else None


# ---------------------------------------------------------------- writing


def write_question_bank(questions: list[tuple[str, dict[str, Any]]],
                        registry: QuestionTypeRegistry) -> bytes:
    """Export normalised specs (as ``load_spec`` returns them) in the template layout.

    Raises ``ValueError`` for a question the layout cannot hold losslessly: a type without
    an Excel layout, more than eight options, or what its type refuses (a 填空 answer
    containing ``|`` or ``;``).
    """
    rows = [_export_row(number, registry.get(name), name, spec)
            for number, (name, spec) in enumerate(questions, start=1)]
    options = max([TEMPLATE_OPTIONS, *(len(row["options"]) for row in rows)])
    labels = [t.excel_labels[0] for t in registry.types() if t.excel_labels]
    return _workbook(rows, options, labels)


def template_workbook() -> bytes:
    """An empty bank for trainers to fill: one example row per basic type plus instructions."""
    keys = ("type", "prompt", "options", "answer", "explanation", "points", "difficulty", "topic")
    examples = [dict(zip(keys, values, strict=True)) for values in (
        ("单选题", "党的最高理想和最终目标是（  ）。",
         ["实现共产主义", "全面建成小康社会", "实现社会主义现代化", "实现中华民族伟大复兴"],
         "A", "党章总纲明确：党的最高理想和最终目标是实现共产主义。", 1, "简单", "党章"),
        ("多选题", "“三会一课”中的“三会”是指（  ）。",
         ["支部党员大会", "支部委员会", "党小组会", "党员代表大会"], "ABC",
         "“三会”指支部党员大会、支部委员会和党小组会，“一课”指党课。", 2, "中等", "组织生活"),
        ("判断题", "党员每年集中学习培训时间一般不少于32学时。", [], "正确",
         "见《中国共产党党员教育管理工作条例》。", 1, "简单", "党员教育"),
        ("填空题", "“三会一课”中的“一课”是指____；主题党日一般每____开展一次。", [],
         "党课|月;个月", "两个空的答案用“|”隔开；一个空有多种写法时用“;”隔开。", 2, "中等",
         "组织生活"),
        ("数值题", "中国共产党第一次全国代表大会于哪一年召开？", [], "1921；1920..1922 (50%)",
         "几个答案用“；”隔开；3.14±0.01 表示允许误差，1920..1922 表示范围，(50%) 表示得一半分；"
         "选项列可填单位（学员可不写单位）。", 1, "简单", "党史"),
    )]
    return _workbook(examples, TEMPLATE_OPTIONS, [t.excel_labels[0] for t in BUILTIN_TYPES])


def _export_row(number: int, question_type: QuestionType | None, name: str,
                spec: dict[str, Any]) -> dict[str, Any]:
    try:
        if question_type is None or not question_type.excel_labels:
            raise NoFormat(name)
        cells = question_type.excel_write(spec)
    except NoFormat:
        raise ValueError(f"question {number}: type {name!r} has no Excel layout") from None
    except ValueError as error:
        raise ValueError(f"question {number}: {error}") from None
    options = list(cells.options)
    if len(options) > len(LETTERS):
        raise ValueError(f"question {number}: more than {len(LETTERS)} options")
    return {"type": question_type.excel_labels[0], "prompt": spec["prompt"], "options": options,
            "answer": cells.answer, "explanation": spec.get("explanation") or "",
            "points": spec.get("points", 1), "difficulty": "", "topic": ""}


def _cell_value(value: Any) -> Any:
    """Make text safe for Excel: defuse formulas, drop characters XML cannot hold."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if NEEDS_ESCAPE.match(value) else value


def _workbook(rows: list[dict[str, Any]], options: int, labels: list[str]) -> bytes:
    titles = ["题型", "题干", *(f"选项{letter}" for letter in LETTERS[:options]),
              "正确答案", "解析", "分值", "难度", "知识点"]
    widths = {"题型": 9, "题干": 48, "正确答案": 14, "解析": 36, "分值": 7, "难度": 7,
              "知识点": 14}
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(titles)
    for row in rows:
        padded = row["options"] + [""] * (options - len(row["options"]))
        values = [row["type"], row["prompt"], *padded, row["answer"], row["explanation"],
                  row["points"], row["difficulty"], row["topic"]]
        sheet.append([_cell_value(value) if value != "" else None for value in values])
    for index, title in enumerate(titles, start=1):
        sheet.cell(1, index).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(title, 16)
    wrap = Alignment(wrap_text=True, vertical="top")
    for column in ("题干", "解析"):
        letter = get_column_letter(titles.index(column) + 1)
        for cell in sheet[letter][1:]:
            cell.alignment = wrap
    sheet.freeze_panes = "A2"
    # Drop-downs that suggest but do not enforce, so 单选 etc. can still be typed.
    for column, choices in (("题型", ",".join(labels)),
                            ("难度", ",".join(DIFFICULTIES))):
        letter = get_column_letter(titles.index(column) + 1)
        validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)
    _guide(workbook.create_sheet(GUIDE_SHEET))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GUIDE = [
    ("题型", "必填", "单选题、多选题、判断题、填空题、排序题、简答题、数值题（也可简写为单选、多选等）。"),
    ("题干", "必填", "题目内容。填空题用____（下划线）或空括号（  ）标出每个空。"),
    ("选项A–选项F", "单选、多选、排序题必填",
     "至少填写选项A、选项B，须从A起连续填写，不能跳空；判断、填空、简答题留空。"),
    ("正确答案", "必填（简答题可空）",
     "单选填一个字母，如 A；多选填两个及以上字母，如 ABD、A,B,D 或 A、B、D；判断填“正确”或“错误”"
     "（也可填“对”/“错”）；填空题多个空之间用“|”分隔，同一个空有多种正确写法时用“;”分隔，"
     "如 党课|月;个月；排序题按正确顺序填写选项字母，如 CABD；简答题填写参考答案；"
     "数值题填写数值，可带误差或范围，如 3.14±0.01 或 1..5，多个答案用“；”分隔，"
     "部分得分在后面加 (50%)，数值题的单位填在选项列（可空）。"
     "列名也可写作“答案”。"),
    ("解析", "可空", "交卷后向学员显示的答案解析。"),
    ("分值", "可空", "正整数，留空按1分计。"),
    ("难度", "可空", "简单、中等或困难。此列可删除。"),
    ("知识点", "可空", "自由填写，如 党章、组织生活。此列可删除。"),
    ("其他", "", "第1行为表头，按列名识别，列的顺序可以调整；从第2行起每行一道题，空行会跳过；"
                 f"每个文件最多{MAX_ROWS}道题。只要有一行有问题，整个文件都不会导入，"
                 "系统会列出所有问题（如“第3行: 缺少题干”），改正后重新上传即可。"
                 "以 =、+、-、@ 开头的内容导出时前面会加一个单引号 '，防止被 Excel 当作公式执行，"
                 "导入时会自动去掉。"),
]


def _guide(sheet: Any) -> None:
    sheet.append(["列名", "是否必填", "填写说明"])
    for line in GUIDE:
        sheet.append([_cell_value(value) or None for value in line])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in (("A", 14), ("B", 22), ("C", 90)):
        sheet.column_dimensions[letter].width = width
    for cell in sheet["C"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
