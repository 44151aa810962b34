"""Excel 题库 (question bank) import and export: pure functions over xlsx bytes.

Training staff keep banks in Excel, one question per row under a header row::

    题型 | 题干 | 选项A … 选项F | 正确答案 | 解析 | 分值 | 难度 | 知识点 [| 名称 | 格式]

Columns are found by their header text, so a reordered sheet still imports; ``答案`` may stand
for ``正确答案``; 选项C–选项F (and 选项G/选项H, up to the eight a choice question allows), 难度,
知识点, 名称 and 格式 are optional columns. 难度, 知识点, 名称 and 格式 are the details every
question may carry (lms.questions.details); an export writes 名称 and 格式 only when a question
has them. Rows whose 题干 starts with ``【示例】`` are the template's examples: skipped and
counted, never imported (lms.content.xlsx_guide).

This module owns the sheet; each question type of the app's registry owns its 题型 labels and
how 选项 and 正确答案 hold its answer (``excel_labels``, ``excel_read``, ``excel_write``) and
its example row (``excel_example``). docs/question-banks.md lists what every column and each
built-in type's 正确答案 becomes; in a 填空题 ``|`` separates blanks and ``;`` alternatives (the
training rules allow either for alternatives; in a sheet ``|`` is taken for blanks so that
several blanks fit in one cell).

Like the course loader, every row is checked before anything is returned, so a trainer fixes
the whole list at once and a bank is never half imported. Export prefixes text that Excel would
run as a formula with an apostrophe (formula injection); import strips it again, so a round trip
is lossless.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from lms.content.xlsx_bounds import check_bounds
from lms.content.xlsx_guide import (
    EXAMPLE,
    EXAMPLE_MARK,
    GUIDE_SHEET,
    guide_lines,
    is_example,
    mark_example,
    write_guide,
)
from lms.plugins import QuestionTypeRegistry
from lms.problems import Problem
from lms.questions import QuestionType, SpecError
from lms.questions.base import NoFormat
from lms.questions.details import read_difficulty
from lms.questions.excel_form import LETTERS, ExcelRow
from lms.services.spreadsheet import ILLEGAL_CHARACTERS_RE

logger = logging.getLogger(__name__)

MAX_ROWS = 2000
SHEET = "题库"
TEMPLATE_OPTIONS = 6  # 选项A–选项F; G/H are added to an export only when a question needs them
DIFFICULTIES = ("简单", "中等", "困难")
WRITTEN_DIFFICULTY = dict(zip(("easy", "medium", "hard"), DIFFICULTIES, strict=True))
FORMATS = {"": None, "纯文本": None, "PLAIN": None, "HTML": "html", "MARKDOWN": "markdown",
           "MD": "markdown"}
WRITTEN_FORMAT = {"html": "HTML", "markdown": "Markdown"}
FIELD_NAMES = {"prompt": "题干", "options": "选项", "answer": "正确答案", "points": "分值",
               "explanation": "解析", "difficulty": "难度", "topic": "知识点", "title": "名称",
               "format": "格式"}
HEADERS = {"题型": "type", "题干": "prompt", "正确答案": "answer", "答案": "answer",
           "解析": "explanation", "分值": "points", "难度": "difficulty", "知识点": "topic",
           "名称": "title", "格式": "format",
           **{f"选项{letter}": letter for letter in LETTERS}}
REQUIRED = ("题型", "题干", "选项A", "选项B", "正确答案", "解析", "分值")
UNREADABLE = Problem("The file cannot be read: it is not a valid Excel (.xlsx) file")
# Excel runs a cell starting with one of these as a formula; an apostrophe in front defuses it.
# Apostrophes already in front are counted so that the escape round-trips for any text. Text
# starting with the example mark is escaped the same way, so a real question so written is
# not taken for an example when read back.
NEEDS_ESCAPE = re.compile(rf"'*(?:[=+\-@\t\r]|{EXAMPLE})")
ESCAPED = re.compile(rf"'+(?:[=+\-@\t\r]|{EXAMPLE})")


@dataclass(frozen=True)
class ImportedRow:
    row: int  # 1-based sheet row, for messages
    raw: dict[str, Any]  # course-file format accepted by registry[raw["type"]].load_spec


class BankRows(list[ImportedRow]):
    """The questions of a bank in sheet order; ``examples`` counts the template's example
    rows left out, so the trainer can be told."""

    examples: int = 0


class BankInvalid(Exception):
    """The bank was rejected; ``problems`` lists every reason (``Problem``: ``str()`` in
    English, ``translated()`` in the page's or CLI's language)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems

    def translated(self) -> list[str]:
        return [problem.translated() for problem in self.problems]


# ---------------------------------------------------------------- reading


def read_question_bank(data: bytes, registry: QuestionTypeRegistry) -> BankRows:
    """Parse and validate a bank; raise ``BankInvalid`` with every problem, or return all rows
    but the template's examples."""
    from openpyxl import load_workbook  # here: only an upload needs it, no page

    check_bounds(data, MAX_ROWS, UNREADABLE, BankInvalid)
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
        problems: list[Problem] = []
        imported = BankRows()
        count = 0
        for number, values in enumerate(rows, start=2):
            cells = {key: values[i] if i < len(values) else None for key, i in columns.items()}
            if all(_text(value) == "" for value in cells.values()):
                continue
            if is_example(cells["prompt"]):
                imported.examples += 1
                continue
            count += 1
            if count > MAX_ROWS:
                raise BankInvalid([Problem("A bank holds at most %(count)s questions: split it into "
                                           "several files", count=MAX_ROWS)])
            row = _read_row(number, cells, types, problems)
            if row is not None:
                imported.append(row)
    finally:
        workbook.close()
    if count == 0 and imported.examples:
        problems.append(Problem("The file holds only the template's %(count)s example rows (their "
                                "question text starts with “%(mark)s”), which are not imported: "
                                "write one question a row below them, then upload again",
                                count=imported.examples, mark=EXAMPLE_MARK))
    elif count == 0:
        problems.append(Problem("No questions were found: write one question a row from row 2 on"))
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
            problems.append(Problem("Row 1: the header “%(title)s” is given twice (“答案” and "
                                    "“正确答案” are the same column)", title=title)
                            if key == "answer" else
                            Problem("Row 1: the header “%(title)s” is given twice", title=title))
        columns.setdefault(key, index)
    missing = [title for title in REQUIRED if HEADERS[title] not in columns]
    if missing:
        problems.append(Problem("Row 1: required columns are missing: %(columns)s",
                                columns="、".join(missing)))
    present = [letter in columns for letter in LETTERS]
    for index in range(2, len(LETTERS)):
        if present[index] and not present[index - 1]:
            problems.append(Problem("Row 1: there is a column “选项%(letter)s” but no column "
                                    "“选项%(before)s”", letter=LETTERS[index],
                                    before=LETTERS[index - 1]))
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
        row.problem(Problem("the question type is missing"))
    elif question_type is None:
        accepted = dict.fromkeys(t.excel_labels[0] for t in types.values())
        row.problem(Problem("the question type “%(label)s” is unknown; write one of: %(types)s",
                            label=label, types="、".join(accepted)))
    if not prompt:
        row.problem(Problem("the question text is missing"))
    raw: dict[str, Any] = {"type": question_type.name if question_type else None,
                           "prompt": prompt}
    if question_type is not None:
        raw.update(question_type.excel_read(row))
    if text["explanation"]:
        raw["explanation"] = text["explanation"]
    raw["points"] = _points(cells["points"])
    if raw["points"] is None:
        row.problem(Problem("the points “%(points)s” must be a positive whole number",
                            points=text["points"]))
    _read_details(text, raw, row)
    if not row.problems and question_type is not None:
        try:
            question_type.load_spec(raw)
        except SpecError as error:
            row.problem(Problem("%(field)s: %(reason)s",
                                field=FIELD_NAMES.get(error.field, error.field), reason=error))
    problems.extend(Problem("Row %(row)s: %(problem)s", row=number, problem=problem)
                    for problem in row.problems)
    if row.problems:
        return None
    return ImportedRow(number, raw)


def _read_details(text: dict[str, str], raw: dict[str, Any], row: ExcelRow) -> None:
    """难度, 知识点, 名称 and 格式 into the definition, as lms.questions.details reads them."""
    difficulty = text.get("difficulty", "")
    if difficulty:
        raw["difficulty"] = read_difficulty(difficulty)
        if raw["difficulty"] is None:
            row.problem(Problem("the difficulty “%(difficulty)s” must be 简单, 中等 or 困难 (or left "
                                "empty)", difficulty=difficulty))
    for key in ("topic", "title"):
        if text.get(key):
            raw[key] = text[key]
    written = text.get("format", "")
    if written.upper() not in FORMATS:
        row.problem(Problem("the format “%(format)s” must be HTML, Markdown or left empty (plain "
                            "text)", format=written))
    elif FORMATS[written.upper()]:
        raw["format"] = FORMATS[written.upper()]


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

    Raises ``Problem`` (a ``ValueError``) for a question the layout cannot hold losslessly: a type without
    an Excel layout, more than eight options, or what its type refuses (a 填空 answer
    containing ``|`` or ``;``).
    """
    rows = [_export_row(number, registry.get(name), name, spec)
            for number, (name, spec) in enumerate(questions, start=1)]
    return _workbook(rows, registry)


def template_workbook(registry: QuestionTypeRegistry) -> bytes:
    """An empty bank for trainers to fill: instructions, and for each registered type with an
    ``excel_example`` one example row, written by the type itself and marked 【示例】 so that
    an upload skips it."""
    rows = []
    for question_type in registry.types():
        example = question_type.excel_example
        if not question_type.excel_labels or not example:
            continue
        try:
            spec = question_type.load_spec({"type": question_type.name, **example})
            row = _export_row(len(rows) + 1, question_type, question_type.name, spec)
        except ValueError:  # SpecError and NoFormat too: a plugin's broken example
            logger.warning("question type %r: its excel_example cannot be written",
                           question_type.name, exc_info=True)
            continue
        rows.append({**row, "example": True})
    return _workbook(rows, registry)


def _export_row(number: int, question_type: QuestionType | None, name: str,
                spec: dict[str, Any]) -> dict[str, Any]:
    try:
        if question_type is None or not question_type.excel_labels:
            raise NoFormat(name)
        cells = question_type.excel_write(spec)
    except NoFormat:
        raise Problem("question %(number)s: the type %(type)s has no Excel layout",
                      number=number, type=name) from None
    except ValueError as error:
        raise Problem("question %(number)s: %(reason)s", number=number, reason=error) from None
    options = list(cells.options)
    if len(options) > len(LETTERS):
        raise Problem("question %(number)s: more than %(count)s options", number=number,
                      count=len(LETTERS))
    return {"type": question_type.excel_labels[0], "prompt": spec["prompt"], "options": options,
            "answer": cells.answer, "explanation": spec.get("explanation") or "",
            "points": spec.get("points", 1),
            "difficulty": WRITTEN_DIFFICULTY.get(spec.get("difficulty") or "", ""),
            "topic": spec.get("topic") or "", "title": spec.get("title") or "",
            "format": WRITTEN_FORMAT.get(spec.get("format") or "", "")}


def _cell_value(value: Any) -> Any:
    """Make text safe for Excel: defuse formulas, drop characters XML cannot hold."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if NEEDS_ESCAPE.match(value) else value


def _workbook(rows: list[dict[str, Any]], registry: QuestionTypeRegistry) -> bytes:
    """The 题库 sheet (名称/格式 and 选项G/H only when a row needs them) and 填写说明."""
    from openpyxl import Workbook  # here: only a download needs it, no page
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    options = max([TEMPLATE_OPTIONS, *(len(row["options"]) for row in rows)])
    extra = [title for title, key in (("名称", "title"), ("格式", "format"))
             if any(row[key] for row in rows)]
    titles = ["题型", "题干", *(f"选项{letter}" for letter in LETTERS[:options]),
              "正确答案", "解析", "分值", "难度", "知识点", *extra]
    widths = {"题型": 9, "题干": 48, "正确答案": 14, "解析": 36, "分值": 7, "难度": 7,
              "知识点": 14, "格式": 10}
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(titles)
    for row in rows:
        padded = row["options"] + [""] * (options - len(row["options"]))
        values = [row["type"], row["prompt"], *padded, row["answer"], row["explanation"],
                  row["points"], row["difficulty"], row["topic"],
                  *(row[HEADERS[title]] for title in extra)]
        values = [_cell_value(value) if value != "" else None for value in values]
        if row.get("example"):
            values[1] = EXAMPLE_MARK + values[1]
        sheet.append(values)
        if row.get("example"):
            mark_example(sheet, sheet.max_row, 2, len(titles), first=sheet.max_row == 2)
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
    labels = [t.excel_labels for t in registry.types() if t.excel_labels]
    for column, choices in (("题型", ",".join(label[0] for label in labels)),
                            ("难度", ",".join(DIFFICULTIES))):
        letter = get_column_letter(titles.index(column) + 1)
        validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)
    write_guide(workbook.create_sheet(GUIDE_SHEET), guide_lines(labels, MAX_ROWS))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
