"""The Excel template: one example row per type, marked 【示例】, explained, and never imported."""

from __future__ import annotations

import io
from typing import Any, ClassVar

from openpyxl import load_workbook

from lms.content.xlsx_bank import read_question_bank, template_workbook, write_question_bank
from lms.plugins import QuestionTypeRegistry
from lms.questions import BUILTIN_TYPES
from lms.questions.true_false import TrueFalse
from tests.content.test_xlsx_bank import HEADER, REGISTRY, problems, row, specs


def bytes_of(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_type(*extra: type) -> QuestionTypeRegistry:
    registry = QuestionTypeRegistry()
    for question_type in (*BUILTIN_TYPES, *extra):
        registry.register(question_type)
    return registry


def test_every_built_in_type_with_an_excel_form_has_an_example() -> None:
    lacking = [t.name for t in REGISTRY.types()
               if t.excel_labels and type(t).__module__.startswith("lms.") and not t.excel_example]
    assert lacking == []


def test_the_template_shows_each_type_once_marked_as_an_example() -> None:
    workbook = load_workbook(io.BytesIO(template_workbook(REGISTRY)))
    assert workbook.sheetnames == ["题库", "填写说明"]
    sheet = workbook["题库"]
    assert [c.value for c in sheet[1]] == HEADER
    assert all(c.font.bold for c in sheet[1]) and sheet.freeze_panes == "A2"
    typed = [t for t in REGISTRY.types() if t.excel_labels and t.excel_example]
    body = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in body] == [t.excel_labels[0] for t in typed]
    assert all(r[1].startswith("【示例】") for r in body)
    assert all(r[11] and r[12] for r in body)  # 难度 and 知识点 filled in, as an example
    assert "示例" in sheet["B2"].comment.text and "跳过" in sheet["B2"].comment.text
    assert sheet["A3"].font.italic  # greyed, so it reads as an example
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists["L2:L2001"] == '"简单,中等,困难"'
    assert all(t.excel_labels[0] in lists["A2:A2001"] for t in typed)
    guide = " ".join(str(c.value) for line in workbook["填写说明"].iter_rows() for c in line)
    for column in ("题型", "题干", "正确答案", "解析", "分值", "难度", "知识点", "【示例】"):
        assert column in guide
    assert "用“|”分隔" in guide and "用“;”分隔" in guide and "导入时会跳过" in guide


def examples_in(registry: QuestionTypeRegistry) -> int:
    return sum(1 for t in registry.types() if t.excel_labels and t.excel_example)


def test_an_unchanged_template_imports_nothing_and_says_why() -> None:
    assert problems(template_workbook(REGISTRY)) == [
        f"文件里只有模板的{examples_in(REGISTRY)}行示例（题干以“【示例】”开头），示例不会导入："
        "请在示例下方每行填写一道题，再上传"]


def test_examples_are_skipped_and_counted_beside_real_questions() -> None:
    workbook = load_workbook(io.BytesIO(template_workbook(REGISTRY)))
    sheet = workbook["题库"]
    sheet.append(row("判断题", "自己的题目。", answer="对", difficulty="难", topic="党史"))
    sheet.append(row("判断题", "[ 示例 ]手写的示例标记也算。", answer="对"))
    rows = read_question_bank(bytes_of(workbook), REGISTRY)
    count = examples_in(REGISTRY)
    assert [(r.row, r.raw["prompt"]) for r in rows] == [(count + 2, "自己的题目。")]
    assert rows.examples == count + 1
    assert rows[0].raw["difficulty"] == "hard" and rows[0].raw["topic"] == "党史"


def test_without_the_mark_each_example_imports_as_its_type_defines_it() -> None:
    """The examples are valid questions: a trainer who deletes 【示例】 gets exactly them."""
    workbook = load_workbook(io.BytesIO(template_workbook(REGISTRY)))
    for cell in workbook["题库"]["B"][1:]:
        cell.value = cell.value.removeprefix("【示例】")
    rows = read_question_bank(bytes_of(workbook), REGISTRY)
    assert rows.examples == 0
    expected = [(t.name, t.load_spec({"type": t.name, **t.excel_example}))
                for t in REGISTRY.types() if t.excel_labels and t.excel_example]
    assert specs(rows) == expected
    assert all(spec["difficulty"] and spec["topic"] for _, spec in expected)


def test_a_real_question_starting_with_the_mark_survives_a_round_trip() -> None:
    spec = REGISTRY["true_false"].load_spec({"prompt": "【示例】这道题本来就这样开头。",
                                             "answer": "对"})
    data = write_question_bank([("true_false", spec)], REGISTRY)
    assert load_workbook(io.BytesIO(data))["题库"]["B2"].value == "'【示例】这道题本来就这样开头。"
    rows = read_question_bank(data, REGISTRY)
    assert rows.examples == 0 and specs(rows) == [("true_false", spec)]


class Judgement(TrueFalse):
    """A plugin type with its own example row."""

    name = "judgement"
    excel_labels = ("是非题",)
    excel_example: ClassVar[dict[str, Any]] = {"prompt": "插件的示例。", "answer": "错",
                                               "topic": "插件"}


class Broken(TrueFalse):
    name = "broken"
    excel_labels = ("坏题",)
    excel_example: ClassVar[dict[str, Any]] = {"prompt": "没有答案的示例。"}


def test_a_plugin_type_brings_its_example_and_a_broken_one_is_left_out(caplog) -> None:
    sheet = load_workbook(io.BytesIO(template_workbook(with_type(Judgement, Broken))))["题库"]
    body = list(sheet.iter_rows(min_row=2, values_only=True))
    assert body[-1][:2] == ("是非题", "【示例】插件的示例。") and body[-1][8] == "错误"
    assert "坏题" not in [r[0] for r in body]
    assert "'broken': its excel_example cannot be written" in caplog.text
