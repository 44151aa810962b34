"""GIFT constructs read and graded as Moodle documents them (question/format/gift/format.php,
docs.moodle.org/en/GIFT_format), and export → import giving the same questions."""

from __future__ import annotations

import pytest

from lms.content.gift import export_gift, parse_gift
from lms.plugins import load_question_types

REGISTRY = load_question_types()


def imported(text: str) -> tuple[str, dict]:
    """(type, spec) of a file holding one importable question."""
    result = parse_gift(text, REGISTRY)
    assert not result.skipped, [str(s) for s in result.skipped]
    [question] = result.questions
    raw = question.raw
    return raw["type"], REGISTRY[raw["type"]].load_spec(raw)


def skip_reason(text: str) -> str:
    result = parse_gift(text, REGISTRY)
    assert not result.questions
    return str(result.skipped[0])


def grade(type_name: str, spec: dict, *values: str):
    question_type = REGISTRY[type_name]
    return question_type.grade(spec, question_type.parse_response(list(values)))


# --- Essay {} ---------------------------------------------------------------------------------

def test_an_essay_is_the_trainer_graded_short_answer_and_its_general_feedback_the_explanation():
    name, spec = imported("Write about your branch.{}")
    assert name == "short_answer" and REGISTRY[name].manual
    assert (spec["prompt"], spec["answer"], spec["explanation"]) == (
        "Write about your branch.", "", "")
    assert imported("Write.{####Marked by hand.}")[1]["explanation"] == "Marked by hand."


def test_an_essay_exports_as_braces_with_its_reference_answer_in_comments():
    spec = REGISTRY["short_answer"].load_spec({
        "prompt": "简述“三会一课”。", "answer": "三会：支部党员大会……\n一课：党课 [tag:党章]",
        "explanation": "讲师批阅。"})
    text = export_gift([("short_answer", spec)], REGISTRY)
    assert "// reference answer (not read back): 三会：支部党员大会……\n// | 一课：党课" in text
    assert "简述“三会一课”。 {####讲师批阅。}" in text
    [question] = parse_gift(text, REGISTRY).questions
    back = REGISTRY["short_answer"].load_spec(question.raw)
    # GIFT has no reference answer; the [tag:…] in the comment is not read as a 知识点.
    assert back == {**spec, "answer": ""}


# --- Short answer with partial credit ------------------------------------------------------

def test_partial_credit_answers_are_kept_and_graded_as_moodle_grades_them():
    name, spec = imported("Jesus Christ was from {=Nazareth#Yes! That's right! "
                          "=%75%Nazereth#Right, but misspelled. "
                          "=%25%Bethlehem#He was born here, but not raised here.}.")
    assert name == "fill_blank"
    marks = {typed: (g.earned, g.feedback) for typed in ("nazareth", "Nazereth", "BETHLEHEM",
                                                         "Rome")
             for g in [grade(name, spec, typed)]}
    assert marks == {"nazareth": (1, "Yes! That's right!"),
                     "Nazereth": (0.75, "Right, but misspelled."),
                     "BETHLEHEM": (0.25, "He was born here, but not raised here."),
                     "Rome": (0, "")}


def test_a_zero_credit_answer_and_the_star_give_feedback_on_wrong_answers():
    name, spec = imported("Capital of France?{=Paris =%0%Lyon#Too far south. =%0%*#Look it up.}")
    assert (grade(name, spec, "Lyon").earned, grade(name, spec, "Lyon").feedback) == (
        0, "Too far south.")
    assert grade(name, spec, "Rome").feedback == "Look it up."
    assert grade(name, spec, "paris").earned == 1  # the best match wins over the *


def test_what_partial_credit_cannot_import_is_named():
    assert skip_reason("Spell it.{=%50%Nazereth}") == (
        "line 1: invalid fill_blank (answer: blank 1 needs an answer with full credit)")
    assert skip_reason("Name?{=Na*th}") == (
        "line 1: unsupported: the * wildcard inside the short answer “Na*th”")
    assert skip_reason("Name?{=Nazareth =%-50%Rome}") == (
        "line 1: invalid fill_blank (answer: blank 1: credit must be between 0% and 100%)")


# --- Choice and true/false feedback --------------------------------------------------------

def test_choice_feedback_stays_with_its_option_and_answers_the_chosen_one():
    name, spec = imported("Capital?{~Lyon#Too far south. =Paris#Yes! ~Nice ####Since 508.}")
    assert name == "single_choice" and spec["explanation"] == "Since 508."
    assert [(grade(name, spec, v).earned, grade(name, spec, v).feedback)
            for v in ("0", "1", "2")] == [(0, "Too far south."), (1, "Yes!"), (0, "")]


@pytest.mark.parametrize("text,chosen,earned,said", [
    # Moodle: {TRUE#feedback for a wrong response#feedback for a right one}.
    ("Water is wet.{TRUE#Think again.#Indeed.}", "true", 1, "Indeed."),
    ("Water is wet.{TRUE#Think again.#Indeed.}", "false", 0, "Think again."),
    ("Fire is cold.{F#It burns.#Right, it is hot.}", "true", 0, "It burns."),
    ("Fire is cold.{F#It burns.#Right, it is hot.}", "false", 1, "Right, it is hot."),
    ("Fire is cold.{FALSE##Right.}", "true", 0, ""),
])
def test_true_false_feedback_follows_moodle_wrong_then_right(text, chosen, earned, said):
    name, spec = imported(text)
    result = grade(name, spec, chosen)
    assert (name, result.earned, result.feedback) == ("true_false", earned, said)


# --- Multiple response ---------------------------------------------------------------------

def test_weights_without_equals_stay_checkboxes_even_with_one_right_option():
    name, spec = imported("Pick.{~%100%A ~%-100%B ~%-100%C}")
    assert name == "multiple_choice" and spec["answer"] == [0]
    assert REGISTRY[name].public_spec(spec)["multiple"] is True
    assert imported("Pick two.{~%50%A ~%50%B ~%-100%C}")[1]["answer"] == [0, 1]


def test_half_credit_beside_an_equals_is_a_wrong_option_here_but_keeps_its_feedback():
    """Moodle gives 50 % for the ~%50% option of a single-answer question; single choice
    here is all or nothing, so it earns nothing, and its feedback still tells why."""
    name, spec = imported("Difficult.{~wrong ~%50%half credit#Nearly. =full credit}")
    assert name == "single_choice" and spec["answer"]["key"] == 2
    assert (grade(name, spec, "1").earned, grade(name, spec, "1").feedback) == (0, "Nearly.")


# --- Export → import -----------------------------------------------------------------------

ROUND_TRIP = [
    {"type": "single_choice", "prompt": "党的最高领导机关是？", "options": ["全国代表大会", "中央委员会"],
     "answer": "A", "feedback": {"A": "对，见党章第十条。", "b": "中央委员会是执行机关。"}},
    {"type": "single_choice", "prompt": "No feedback?", "options": ["a", "b"], "answer": "B",
     "explanation": "Plain."},
    {"type": "multiple_choice", "prompt": "“三会”包括？", "options": ["党员大会", "支委会", "茶话会"],
     "answer": "AB", "feedback": {"C": "茶话会不是组织生活会议。"}},
    {"type": "multiple_choice", "prompt": "Only one is right, yet checkboxes.",
     "options": ["a", "b", "c"], "answer": "C"},
    {"type": "true_false", "prompt": "党费按月交纳。", "answer": "正确",
     "feedback": {"正确": "对。", "错误": "党章规定按月交纳。"}},
    {"type": "true_false", "prompt": "Right feedback only.", "answer": "错误",
     "feedback": {"错误": "Yes."}},
    {"type": "fill_blank", "prompt": "中国共产党成立于____年。",
     "answer": ["1921 # 正确|一九二一|1920 (50%) # 差一年|* (0%) # 请查阅党史"]},
    {"type": "fill_blank", "prompt": "A | in ____ answers.",
     "answer": [["a|b", {"text": "c;d", "credit": 33.5, "feedback": "Close # enough"}]]},
    {"type": "short_answer", "prompt": "谈谈体会。", "explanation": "言之有物即可。"},
    {"type": "numerical", "prompt": "党的一大召开于哪一年？",
     "answer": ["1921 # 正确", "1920..1922 (50%) # 差一点", "* (0%) # 再想想"]},
]


def test_export_then_import_gives_the_same_specs_for_every_built_in_gift_type():
    specs = [(raw["type"], REGISTRY[raw["type"]].load_spec(raw)) for raw in ROUND_TRIP]
    text = export_gift(specs, REGISTRY)
    result = parse_gift(text, REGISTRY)
    assert not result.skipped, text
    assert [(q.raw["type"], REGISTRY[q.raw["type"]].load_spec(q.raw))
            for q in result.questions] == specs
    assert "=%50%1920#差一年" in text and "=%0%*#请查阅党史" in text
    assert "\t=全国代表大会#对，见党章第十条。\n\t~中央委员会#中央委员会是执行机关。" in text
    assert "{TRUE#党章规定按月交纳。#对。}" in text and "{FALSE##Yes.}" in text
    assert "\t~%100%c\n" in text
