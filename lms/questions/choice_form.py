"""The written forms of a 单选/多选 question: GIFT as Moodle reads and writes it, the Excel
row's cells, and the feedback per option in a course file and the browser form."""

from __future__ import annotations

from typing import Any

from lms.questions import option_feedback
from lms.questions.base import letters
from lms.questions.excel_form import ExcelCells, ExcelRow, read_letters, read_options
from lms.questions.gift_form import GiftBlock, GiftSkip, escape, general_feedback, question_text
from lms.questions.question_form import FormField, values_from_written


def read_gift(block: GiftBlock) -> tuple[bool, dict[str, Any]]:
    """(single, definition), as Moodle's reader decides: ``=`` anywhere makes a single-answer
    question (radio buttons), else it is multiple-response (checkboxes) and the options with
    a weight above 0 are the right ones, even if only one is: radio buttons would tell the
    trainee that exactly one option is right.

    Not kept: a ``~%50%`` option beside an ``=`` one earns partial credit in Moodle; single
    choice here is all or nothing, so it is imported as a wrong option (its feedback is
    kept). Unequal weights of a multiple-response question (70 % + 30 %) are not kept
    either: the quiz's scoring mode grades it.
    """
    leading, answers = block.answers()
    if leading:
        raise GiftSkip("unparseable: text before the first ~ or = answer")
    single = any(a.marker == "=" for a in answers)
    if single:
        right = [i for i, a in enumerate(answers) if a.marker == "=" and a.weight in (None, 100)]
        if len(right) > 1:
            raise GiftSkip("unsupported: several full-credit options in a single-answer question")
    else:
        right = [i for i, a in enumerate(answers) if (a.weight or 0) > 0]
    if not right:
        raise GiftSkip("unparseable: no option is marked right (= or a positive %weight%)")
    raw = {"prompt": block.prompt(), "options": [a.text for a in answers],
           "answer": letters(right), "explanation": block.explanation([])}
    notes = {letters([i]): a.feedback for i, a in enumerate(answers) if a.feedback}
    return single, {**raw, "feedback": notes} if notes else raw


def write_gift(spec: dict[str, Any], right: list[int], mark: str, wrong: str) -> str:
    """Each option after its mark, then ``#`` and its feedback, as Moodle writes them."""
    notes = option_feedback.split(spec["answer"])[1] or [""] * len(spec["options"])
    lines = [f"\t{mark if i in right else wrong}{escape(option)}"
             + (f"#{escape(note)}" if note else "")
             for i, (option, note) in enumerate(zip(spec["options"], notes, strict=True))]
    general = general_feedback(spec)
    lines += [f"\t{general}"] if general else []
    return question_text(spec["prompt"]) + " {\n" + "\n".join(lines) + "\n}"


def read_cells(row: ExcelRow) -> tuple[list[str] | None, str | None]:
    """选项A… and 正确答案 as letters; None where a problem was reported."""
    options = read_options(row)
    return options, read_letters(row, len(options)) if options else None


def read_excel(row: ExcelRow) -> dict[str, Any]:
    """选项A… with any feedback after `` # ``, and 正确答案 as letters."""
    cells = [option_feedback.split_cell(option) for option in row.options]
    texts = ExcelRow(row.prompt, row.answer, [text for text, _ in cells], row.problems)
    options, answer = read_cells(texts)
    notes = {letters([i]): note for i, (_, note) in enumerate(cells) if note}
    return {"options": options, "answer": answer, **({"feedback": notes} if notes else {})}


def excel_cells(spec: dict[str, Any]) -> ExcelCells:
    key, notes = option_feedback.split(spec["answer"])
    notes = notes or [""] * len(spec["options"])
    return ExcelCells(letters(key if isinstance(key, list) else [key]),
                      [option_feedback.cell(option, note)
                       for option, note in zip(spec["options"], notes, strict=True)])


def written_feedback(spec: dict[str, Any]) -> dict[str, Any]:
    """The ``feedback:`` a course file writes, if any option has some."""
    notes = option_feedback.split(spec["answer"])[1]
    labels = [letters([i]) for i in range(len(spec["options"]))]
    return {"feedback": option_feedback.written(notes, labels)} if notes else {}


def form_values(fields: list[FormField], written: dict[str, Any]) -> dict[str, str]:
    lines = option_feedback.as_lines(written.get("feedback"))
    return values_from_written(fields, {**written, "feedback": lines or None})
