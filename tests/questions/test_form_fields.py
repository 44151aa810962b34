"""Every registered question type, plugins included, is edited through a form built from its
fields: what the form shows for a question reads back as the very same question."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest

from lms.content.course_writer import write_question
from lms.plugins import load_question_types
from lms.questions.base import FormField, QuestionType, SpecError
from lms.questions.question_form import KINDS
from lms.services.course_content import QuestionContent

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "lms-likert-plugin"))
from lms_likert import Likert  # noqa: E402  (the example plugin type, not installed here)

REGISTRY = load_question_types()
REGISTRY.register(Likert, "lms-likert-plugin (tests)")

#: Definitions as a trainer writes them, per type; every registered type must have some.
SAMPLES: dict[str, list[dict[str, Any]]] = {
    "single_choice": [
        {"prompt": "党的最高领导机关是？", "options": ["全国代表大会", "中央委员会", "119"],
         "answer": "A", "explanation": "见党章。\n第二行。", "points": 3},
        {"prompt": "选哪个？", "options": ["甲", "乙"], "answer": "b"},
    ],
    "multiple_choice": [
        {"prompt": "“三会一课”包括？", "options": ["支部党员大会", "支委会", "党小组会", "茶话会"],
         "answer": "A, B、C"},
    ],
    "true_false": [
        {"prompt": "党支部是党的基础组织。", "answer": "对", "points": 2},
        {"prompt": "可以不交党费。", "answer": False, "explanation": "按月交纳。"},
    ],
    "fill_blank": [
        {"prompt": "火警电话是____，口号是____。", "answer": ["119", "党员|共产党员"]},
        {"prompt": "一个空____。", "answer": "甲;乙"},
    ],
    "ordering": [
        {"prompt": "排列顺序。", "options": ["一", "二", "三"], "answer": "C→A→B"},
    ],
    "short_answer": [
        {"prompt": "简述党支部的作用。"},
        {"prompt": "谈谈体会。", "answer": "言之有物。\n条理清楚。", "points": 10},
    ],
    "numerical": [
        {"prompt": "圆周率约为多少？", "answer": "3.14"},
        {"prompt": "长度是多少米？", "answer": ["3.14±0.01 # 正确", "3.1..3.2 (50%)",
                                         "* (0%) # 请再算一遍"],
         "units": ["米", "m"], "explanation": "保留两位小数。", "points": 2},
    ],
    "matching": [
        {"prompt": "请连线。", "options": ["党的最高领导机关 -> 党的全国代表大会",
                                      "党的最高纪律检查机关 → 中央纪律检查委员会", "-> 中央军事委员会"],
         "explanation": "见党章。", "points": 2},
        {"prompt": "两对。", "options": [["甲", "一"], ["乙", "一"], [None, "二"]]},
    ],
    "likert": [
        {"prompt": "我能说出“三会一课”的内容。", "answer": "D", "points": 2},
        {"prompt": "满意度调查。", "options": ["低", "中", "高"]},
    ],
}


def through_the_form(question_type: QuestionType, spec: dict[str, Any]) -> dict[str, Any]:
    """Show ``spec`` in the form as the editor does, submit it unchanged, load it back."""
    content = QuestionContent.from_spec("k", "file", question_type.name, spec)
    written = write_question(content, REGISTRY)
    values = question_type.form_values(written)
    assert set(values) == {field.name for field in question_type.form_fields()}
    assert all(isinstance(value, str) for value in values.values())
    return question_type.load_spec({"type": question_type.name,
                                    **question_type.form_raw(values)})


@pytest.mark.parametrize("question_type", REGISTRY.types(), ids=lambda t: t.name)
def test_every_type_round_trips_through_its_form(question_type):
    assert question_type.name in SAMPLES, f"add samples of {question_type.name} to SAMPLES"
    for raw in SAMPLES[question_type.name]:
        spec = question_type.load_spec({"type": question_type.name, **raw})
        assert through_the_form(question_type, spec) == spec


@pytest.mark.parametrize("question_type", REGISTRY.types(), ids=lambda t: t.name)
def test_fields_are_well_formed_and_write_only_the_types_keys(question_type):
    fields = question_type.form_fields()
    names = [field.name for field in fields]
    assert names[0] == "prompt" and len(set(names)) == len(names)
    assert set(names) <= question_type.keys - {"type"}
    assert all(field.kind in KINDS and str(field.label) for field in fields)
    assert next(f for f in fields if f.name == "prompt").required


def test_built_in_types_say_how_to_write_their_answer():
    by_type = {t.name: {f.name: f for f in t.form_fields()} for t in REGISTRY.types()}
    assert by_type["true_false"]["answer"].kind == "choice"
    assert [value for value, _ in by_type["true_false"]["answer"].choices] == ["正确", "错误"]
    assert "options" not in by_type["true_false"] and "options" not in by_type["fill_blank"]
    assert by_type["fill_blank"]["answer"].kind == "lines"
    assert by_type["single_choice"]["answer"].help and by_type["ordering"]["answer"].help
    assert by_type["short_answer"]["answer"].kind == "textarea"


class Rating(QuestionType):
    """A plugin type that says nothing about forms and adds a key of its own."""

    name = "rating"
    label = "评分题"
    template = "lms/questions/short_answer.html"
    keys: ClassVar[frozenset[str]] = QuestionType.keys | {"scale"}

    def load_spec(self, raw: dict[str, Any]) -> dict[str, Any]:
        spec = super().load_spec(raw)
        scale = raw.get("scale", "5")
        if not str(scale).isdigit():
            raise SpecError("scale", "must be a number of stars")
        return {**spec, "answer": int(scale)}

    def file_write(self, spec: dict[str, Any]) -> dict[str, Any]:
        return {"prompt": spec["prompt"], "scale": str(spec["answer"])}


def test_a_type_that_defines_no_form_gets_one_from_its_keys():
    fields = {f.name: f for f in Rating().form_fields()}
    assert list(fields) == ["prompt", "options", "answer", "explanation", "points", "topic",
                            "difficulty", "title", "format", "scale"]
    assert [fields[k].kind for k in fields] == ["textarea", "lines", "text", "textarea",
                                                "integer", "text", "choice", "text", "choice",
                                                "text"]
    assert fields["scale"].label == "scale"
    spec = Rating().load_spec({"type": "rating", "prompt": "打几颗星？", "scale": "7"})
    values = Rating().form_values(Rating().file_write(spec))
    assert values["scale"] == "7" and values["options"] == ""
    assert Rating().load_spec({"type": "rating", **Rating().form_raw(values)}) == spec


def test_a_value_that_cannot_fill_its_field_names_the_field():
    question_type = REGISTRY["single_choice"]
    with pytest.raises(SpecError) as error:
        question_type.form_raw({"prompt": "题", "options": "甲\n乙", "answer": "A",
                                "points": "两分"})
    assert error.value.field == "points"
    with pytest.raises(SpecError) as error:
        question_type.load_spec({"type": "single_choice", **question_type.form_raw(
            {"prompt": "题", "options": "甲\n\n 乙 \r\n丙", "answer": "Z", "points": ""})})
    assert error.value.field == "answer" and "Z" in error.value.message


def test_lines_drop_blank_lines_and_empty_fields_are_left_out():
    raw = REGISTRY["single_choice"].form_raw(
        {"prompt": " 题 ", "options": "甲\r\n\r\n 乙 \n", "answer": "", "explanation": "  ",
         "points": " "})
    assert raw == {"prompt": "题", "options": ["甲", "乙"]}


def test_a_form_field_checks_its_kind():
    with pytest.raises(ValueError):
        FormField("x", "slider")
    with pytest.raises(ValueError):
        FormField("x", "choice")
