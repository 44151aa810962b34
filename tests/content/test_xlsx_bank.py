"""Excel 题库: import of every type, validation messages, injection-safe export, round trips."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_babel import Babel, force_locale
from openpyxl import Workbook, load_workbook

from lms.content.xlsx_bank import (
    BankInvalid,
    ImportedRow,
    read_question_bank,
    write_question_bank,
)
from lms.plugins import QuestionTypeRegistry, load_question_types
from lms.questions import BUILTIN_TYPES
from lms.questions.choice import MultipleChoice, SingleChoice
from lms.questions.fill_blank import FillBlank
from lms.questions.true_false import TrueFalse

REGISTRY = load_question_types()
LIKERT = (Path(__file__).parents[1] / "plugins" / "lms-likert-plugin" / "lms_likert"
          / "__init__.py")
HEADER = ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "正确答案", "解析",
          "分值", "难度", "知识点"]


def builtin_registry() -> QuestionTypeRegistry:
    """Only the four basic types, so messages listing accepted types are deterministic."""
    registry = QuestionTypeRegistry()
    for question_type in (SingleChoice, MultipleChoice, TrueFalse, FillBlank):
        registry.register(question_type)
    return registry


def xlsx(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row(kind: str, prompt: str, options: list[Any] = (), answer: Any = None, *,
        explanation: str | None = None, points: Any = None, difficulty: str | None = None,
        topic: str | None = None) -> list[Any]:
    padded = list(options) + [None] * (6 - len(options))
    return [kind, prompt, *padded, answer, explanation, points, difficulty, topic]


#: Babel with LMS's own catalogs (lms/translations), to read problems as a page would.
BABEL_APP = Flask("lms")
Babel(BABEL_APP)


def problems(data: bytes, registry: QuestionTypeRegistry = REGISTRY,
             locale: str = "zh_Hans_CN") -> list[str]:
    """The bank's problems as the import page shows them, in Chinese unless told."""
    with pytest.raises(BankInvalid) as caught:
        read_question_bank(data, registry)
    with BABEL_APP.test_request_context(), force_locale(locale):
        return caught.value.translated()


def specs(rows: list[ImportedRow]) -> list[tuple[str, dict[str, Any]]]:
    return [(r.raw["type"], REGISTRY[r.raw["type"]].load_spec(r.raw)) for r in rows]


def test_valid_sheet_imports_every_basic_type() -> None:
    data = xlsx([
        row("单选题", "党的最高理想是（  ）。", ["共产主义", "小康社会", "现代化"], "a",
            explanation="见党章。", points=2, difficulty="简单", topic="党章"),
        row("多选", "“三会”是指（  ）。", ["党员大会", "支委会", "党小组会", "代表大会"], "A、B、C"),
        [None] * 13,  # empty rows are skipped, numbering continues
        row("判断题", "党员每年学习不少于32学时。", answer="对", points=1.0),
        row("填空", "党的一大召开于（　）年，地点在（  ）。", answer="1921|上海;上海市"),
        row("填空题", "党员每年集中学习不少于____学时。", answer=32),
    ])
    rows = read_question_bank(data, REGISTRY)
    assert [r.row for r in rows] == [2, 3, 5, 6, 7]
    assert rows[0] == ImportedRow(2, {
        "type": "single_choice", "prompt": "党的最高理想是（  ）。",
        "options": ["共产主义", "小康社会", "现代化"], "answer": "A", "explanation": "见党章。",
        "points": 2, "difficulty": "easy", "topic": "党章"})
    assert "difficulty" not in rows[1].raw and "topic" not in rows[1].raw
    assert rows.examples == 0
    loaded = specs(rows)
    assert loaded[0][1]["answer"] == 0
    assert loaded[0][1]["difficulty"] == "easy" and loaded[0][1]["topic"] == "党章"
    assert loaded[1] == ("multiple_choice", loaded[1][1]) and loaded[1][1]["answer"] == [0, 1, 2]
    assert loaded[2][1]["answer"] is True and loaded[2][1]["points"] == 1
    assert loaded[3][1]["prompt"] == "党的一大召开于____年，地点在____。"
    assert loaded[3][1]["answer"] == [["1921"], ["上海", "上海市"]]
    assert loaded[4][1]["answer"] == [["32"]]


def test_ordering_and_short_answer_rows() -> None:
    assert "ordering" in REGISTRY and "short_answer" in REGISTRY  # built-in types: no skip
    rows = read_question_bank(xlsx([
        row("排序题", "按时间先后排列：", ["遵义会议", "中共一大", "七届二中全会"], "B,A,C"),
        row("简答", "简述“三会一课”。", answer="参考答案：支部党员大会……"),
        row("简答题", "谈谈学习体会。"),
        row("排序", "排列：", ["甲", "乙", "丙"], "C→A→B"),
    ]), REGISTRY)
    assert rows[0].raw["answer"] == "BAC" and rows[3].raw["answer"] == "CAB"
    assert specs(rows[:1])[0][1]["answer"] == [1, 0, 2]
    assert rows[1].raw == {"type": "short_answer", "prompt": "简述“三会一课”。",
                           "answer": "参考答案：支部党员大会……", "points": 1}
    assert "answer" not in rows[2].raw
    assert problems(xlsx([row("排序题", "排列：", ["甲", "乙", "丙"], "CA")])) == [
        "第2行: 排序题的正确答案须按正确顺序写出全部选项（A–C），填写了“CA”"]


def test_unregistered_type_is_a_row_problem() -> None:
    data = xlsx([row("排序题", "排列：", ["甲", "乙"], "BA"), row("问答题", "为什么？")])
    assert problems(data, builtin_registry()) == [
        "第2行: 题型“排序题”无法识别，可填：单选题、多选题、判断题、填空题",
        "第3行: 题型“问答题”无法识别，可填：单选题、多选题、判断题、填空题",
    ]


def test_columns_found_by_header_text_in_any_order() -> None:
    header = [" 答案 ", "题干", "备注", "选项B", "选项A", "分值", "解析 ", "题型"]
    data = xlsx([["B", "哪个是对的？", "随便写", "对的", "错的", None, None, "单选题"]], header)
    (only,) = read_question_bank(data, REGISTRY)
    assert only.raw == {"type": "single_choice", "prompt": "哪个是对的？",
                        "options": ["错的", "对的"], "answer": "B", "points": 1}


def test_header_problems() -> None:
    assert problems(xlsx([], ["题型", "题干", "选项A", "选项B", "解析", "难度"])) == [
        "第1行: 缺少必填列：正确答案、分值"]
    assert problems(xlsx([], [*HEADER, "答案"])) == [
        "第1行: 表头“答案”重复（“答案”与“正确答案”是同一列）"]
    assert problems(xlsx([], ["题型", "题干", "选项A", "选项B", "选项D", "正确答案", "解析",
                              "分值"])) == ["第1行: 有“选项D”列却缺少“选项C”列"]


def test_every_row_problem_is_reported_with_its_row_number() -> None:
    data = xlsx([
        row(None, "没有题型", ["甲", "乙"], "A"),                                  # 2
        row("单选题", None, ["甲", "乙"], "A"),                                    # 3
        row("单选题", "范围外？", ["甲", "乙", "丙", "丁"], "E"),                   # 4
        row("单选题", "两个答案？", ["甲", "乙", "丙"], "AB"),                      # 5
        row("多选题", "只有一个？", ["甲", "乙", "丙"], "A"),                       # 6
        row("单选题", "有空缺？", ["甲", None, "丙"], "A"),                         # 7
        row("多选题", "选项太少？", ["甲"], "A"),                                   # 8
        row("判断题", "怎么判断？", answer="也许"),                                 # 9
        row("填空题", "两个空____和（ ）。", answer="一"),                          # 10
        row("单选题", "分值？", ["甲", "乙"], "A", points=0),                       # 11
        row("单选题", "分值？", ["甲", "乙"], "A", points=1.5, difficulty="很难"),  # 12
        row("单选题", "重复？", ["甲", "甲"], "A"),                                 # 13
        row("单选题", "字母？", ["甲", "乙"], 1),                                   # 14
        row("多选题", "重复字母？", ["甲", "乙", "丙"], "AAB"),                     # 15
        row("填空题", "没有空。", answer="一"),                                     # 16
        row("填空题", "只有标点____。", answer="？"),                               # 17
        row("单选题", "没有答案？", ["甲", "乙"]),                                  # 18
    ])
    assert problems(data, builtin_registry()) == [
        "第2行: 缺少题型",
        "第3行: 缺少题干",
        "第4行: 正确答案“E”不在选项范围内（A–D）",
        "第5行: 单选题只能有一个正确答案，填写了“AB”",
        "第6行: 多选题至少需要两个正确答案，填写了“A”",
        "第7行: 选项B为空，但选项C有内容（选项须从A起连续填写）",
        "第8行: 至少需要两个选项（选项A、选项B）",
        "第9行: 判断题的正确答案应填“正确”或“错误”（也可填“对”/“错”），填写了“也许”",
        "第10行: 题干有2个空，正确答案却有1个（空与空之间用“|”分隔）",
        "第11行: 分值“0”应为正整数",
        "第12行: 分值“1.5”应为正整数",
        "第12行: 难度“很难”应为简单、中等或困难（也可留空）",
        "第13行: 选项B与选项A内容相同",
        "第14行: 正确答案“1”应为选项字母，如 A 或 ABD",
        "第15行: 正确答案中“A”重复",
        "第16行: 填空题的题干中没有空：请用____或（  ）标出每个空",
        "第17行: 正确答案: 第1个空没有可接受的答案",
        "第18行: 缺少正确答案",
    ]


def test_one_bad_row_imports_nothing() -> None:
    good = row("判断题", "正确吗？", answer="正确")
    data = xlsx([good, good, row("判断题", "这个呢？", answer="错", points="两分"), good])
    assert problems(data) == ["第4行: 分值“两分”应为正整数"]


def test_file_level_problems() -> None:
    assert problems(b"PK\x03\x04 not really a zip") == ["无法读取文件：不是有效的 Excel（.xlsx）文件"]
    assert problems("题型,题干\n".encode()) == ["无法读取文件：不是有效的 Excel（.xlsx）文件"]
    assert problems(xlsx([[None] * 13])) == ["没有找到题目：请从第2行起每行填写一道题"]
    many = xlsx([row("判断题", f"第{i}题", answer="对") for i in range(2001)])
    assert problems(many) == ["题库最多2000道题，请拆分成多个文件分别导入"]
    assert len(read_question_bank(xlsx([row("判断题", "题", answer="对")] * 2000), REGISTRY)) == 2000


def test_export_escapes_formulas_and_reads_back_identical() -> None:
    prompt = '=HYPERLINK("http://x")'
    spec = REGISTRY["single_choice"].load_spec({
        "prompt": prompt, "options": ["+1", "-1", "@x", "'=already quoted"], "answer": "B",
        "explanation": "=1+1"})
    data = write_question_bank([("single_choice", spec)], REGISTRY)
    sheet = load_workbook(io.BytesIO(data))["题库"]
    cells = [sheet.cell(2, column) for column in range(1, 14)]
    assert [c.value for c in cells[1:6]] == [
        "'" + prompt, "'+1", "'-1", "'@x", "''=already quoted"]
    assert cells[9].value == "'=1+1"
    assert all(c.data_type != "f" for c in cells)
    (back,) = read_question_bank(data, REGISTRY)
    assert back.raw["prompt"] == prompt
    assert specs([back]) == [("single_choice", spec)]


def test_round_trip_write_then_read() -> None:
    raws = [
        {"type": "single_choice", "prompt": "单选？", "options": ["甲", "乙", "丙"],
         "answer": "C", "explanation": "因为丙。", "points": 3},
        {"type": "multiple_choice", "prompt": "多选？",
         "options": ["一", "二", "三", "四", "五", "六", "七", "八"], "answer": "BDH"},
        {"type": "true_false", "prompt": "对吗？", "answer": "错误"},
        {"type": "fill_blank", "prompt": "填____和____。", "answer": [["甲", "子"], ["乙"]]},
    ]
    if REGISTRY.get("ordering") is not None:
        raws.append({"type": "ordering", "prompt": "排序：", "options": ["一", "二", "三"],
                     "answer": "CAB"})
    if REGISTRY.get("short_answer") is not None:
        raws.append({"type": "short_answer", "prompt": "简答：", "answer": "参考答案"})
    original = [(raw["type"], REGISTRY[raw["type"]].load_spec(raw)) for raw in raws]
    data = write_question_bank(original, REGISTRY)
    sheet = load_workbook(io.BytesIO(data))["题库"]
    assert sheet["H1"].value == "选项F" and sheet["J1"].value == "选项H"  # 8 options fit
    assert [c.value for c in sheet[2]][:2] == ["单选题", "单选？"]
    assert specs(read_question_bank(data, REGISTRY)) == original


def test_export_refuses_what_the_layout_cannot_hold() -> None:
    with pytest.raises(ValueError, match="no Excel layout"):
        write_question_bank([("essay_plugin", {"prompt": "?"})], REGISTRY)
    spec = {"prompt": "____", "answer": [["a;b"]], "points": 1, "explanation": ""}
    with pytest.raises(ValueError, match="contains"):
        write_question_bank([("fill_blank", spec)], REGISTRY)


def test_difficulty_topic_name_and_format_are_read_into_the_definition() -> None:
    header = [*HEADER, "名称", "格式"]
    rows = read_question_bank(xlsx([
        [*row("判断题", "一", answer="对", difficulty="易", topic=" 党章 "), "第一题", "html"],
        [*row("判断题", "二", answer="对", difficulty="中"), None, "Markdown"],
        [*row("判断题", "三", answer="对", difficulty="困难"), None, "纯文本"],
        row("判断题", "四", answer="对", difficulty=None),
    ], header), REGISTRY)
    assert [r.raw.get("difficulty") for r in rows] == ["easy", "medium", "hard", None]
    assert rows[0].raw["topic"] == "党章" and rows[0].raw["title"] == "第一题"
    assert [r.raw.get("format") for r in rows] == ["html", "markdown", None, None]
    assert [spec.get("difficulty") for _, spec in specs(rows)] == ["easy", "medium", "hard",
                                                                    None]
    assert problems(xlsx([[*row("判断题", "五", answer="对", difficulty="很难"), None, "pdf"],
                          row("判断题", "六", answer="对", topic="长" * 101)], header)) == [
        "第2行: 难度“很难”应为简单、中等或困难（也可留空）",
        "第2行: 格式“pdf”应为 HTML、Markdown 或留空（纯文本）",
        "第3行: 知识点: 须为不超过 100 个字的文字",
    ]


def test_round_trip_keeps_every_detail() -> None:
    raws = [
        {"type": "single_choice", "prompt": "单选？", "options": ["甲", "乙"], "answer": "B",
         "difficulty": "hard", "topic": "党章", "title": "Moodle 题名", "format": "html"},
        {"type": "true_false", "prompt": "对吗？", "answer": "对", "difficulty": "easy"},
        {"type": "fill_blank", "prompt": "填____。", "answer": "甲", "topic": "组织生活",
         "format": "markdown"},
        {"type": "numerical", "prompt": "几？", "answer": ["3"], "difficulty": "medium"},
        {"type": "short_answer", "prompt": "简答：", "title": "只有名称"},
    ]
    original = [(raw["type"], REGISTRY[raw["type"]].load_spec(raw)) for raw in raws]
    data = write_question_bank(original, REGISTRY)
    sheet = load_workbook(io.BytesIO(data))["题库"]
    assert [c.value for c in sheet[1]] == [*HEADER, "名称", "格式"]
    assert [c.value for c in sheet[2]][-4:] == ["困难", "党章", "Moodle 题名", "HTML"]
    assert [sheet.cell(n, 12).value for n in range(3, 7)] == ["简单", None, "中等", None]
    assert specs(read_question_bank(data, REGISTRY)) == original
    plain = write_question_bank(original[1:2], REGISTRY)  # no name or format: no such column
    assert [c.value for c in load_workbook(io.BytesIO(plain))["题库"][1]] == HEADER


def likert_registry() -> QuestionTypeRegistry:
    """The built-ins plus the example plugin's type, loaded from its source in this repository."""
    spec = importlib.util.spec_from_file_location("lms_likert", LIKERT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    registry = QuestionTypeRegistry()
    for question_type in (*BUILTIN_TYPES, module.Likert):
        registry.register(question_type)
    return registry


def test_a_plugin_type_round_trips_through_its_own_excel_form() -> None:
    registry = likert_registry()
    raws = [
        {"type": "likert", "prompt": "我能熟练使用学习平台。", "answer": "D", "points": 2,
         "explanation": "期望的回答是“同意”。"},
        {"type": "likert", "prompt": "你对本次培训的满意度：", "options": ["低", "中", "高"]},
        {"type": "true_false", "prompt": "对吗？", "answer": "对"},
    ]
    original = [(raw["type"], registry[raw["type"]].load_spec(raw)) for raw in raws]
    data = write_question_bank(original, registry)
    sheet = load_workbook(io.BytesIO(data))["题库"]
    assert [c.value for c in sheet[2]][:8] == ["量表题", "我能熟练使用学习平台。", "非常不同意",
                                               "不同意", "中立", "同意", "非常同意", None]
    assert sheet["I2"].value == "D" and sheet["I3"].value is None  # 正确答案; empty: a poll
    assert specs_in(read_question_bank(data, registry), registry) == original

    built_in = "、".join(t.excel_labels[0] for t in REGISTRY.types() if t.excel_labels)
    assert built_in.startswith("单选题、多选题、判断题、填空题、排序题、简答题、数值题")
    assert problems(data, REGISTRY) == [  # without the plugin the rows are not understood
        f"第{n}行: 题型“量表题”无法识别，可填：{built_in}" for n in (2, 3)]
    gap = xlsx([row("量表", "有空缺？", ["低", None, "高"], "A")])
    assert problems(gap, registry) == ["第2行: 选项: option 2 must be non-empty text"]


def specs_in(rows: list[ImportedRow],
             registry: QuestionTypeRegistry) -> list[tuple[str, dict[str, Any]]]:
    return [(r.raw["type"], registry[r.raw["type"]].load_spec(r.raw)) for r in rows]


def test_problems_read_in_english_for_an_english_reader() -> None:
    data = xlsx([row("单选题", "一", ["甲", "乙"], "AB"), row("判断题", "二")])
    assert problems(data, locale="en") == [
        "Row 2: a single-choice question has exactly one answer; “AB” was given",
        "Row 3: the answer is missing"]
    assert problems(b"not a zip", locale="en") == [
        "The file cannot be read: it is not a valid Excel (.xlsx) file"]


class OldPluginType(TrueFalse):
    """A third-party type written before problems were msgids: it passes plain Chinese."""

    name, label, excel_labels = "old_plugin", "旧插件题", ("旧插件题",)

    def excel_read(self, row):
        row.problem("旧插件：正确答案必须写“好”（100% 照原样显示）")
        return {}


def test_a_plugin_problem_in_plain_text_is_shown_as_written() -> None:
    registry = builtin_registry()
    registry.register(OldPluginType)
    data = xlsx([row("旧插件题", "一", answer="坏")])
    expected = ["第2行: 旧插件：正确答案必须写“好”（100% 照原样显示）"]
    assert problems(data, registry) == expected
    assert problems(data, registry, locale="en") == [
        "Row 2: 旧插件：正确答案必须写“好”（100% 照原样显示）"]
