"""Grading of the built-in question types, from definitions as trainers write them."""

from __future__ import annotations

import pytest

from lms.questions import SpecError
from lms.questions.choice import MultipleChoice, SingleChoice
from lms.questions.fill_blank import FillBlank, normalise
from lms.questions.true_false import TrueFalse
from lms.quiz_settings import QuizSettings


def spec(question_type, **raw):
    return question_type.load_spec({"prompt": "题干____", **raw})


def test_single_choice():
    question = SingleChoice()
    definition = spec(question, options=["甲", "乙", "丙"], answer="b")
    assert definition["answer"] == 1
    assert question.grade(definition, question.parse_response(["1"])).earned == 1
    assert question.grade(definition, question.parse_response(["0"])).earned == 0
    assert question.parse_response([]) is None and question.parse_response(["x"]) is None
    with pytest.raises(SpecError, match="answer"):
        spec(question, options=["甲", "乙"], answer="AB")


def test_multiple_choice_is_all_or_nothing_and_any_wrong_option_scores_zero():
    question = MultipleChoice()
    definition = spec(question, options=["甲", "乙", "丙", "丁"], answer="A,B、D", points=2)
    assert definition["answer"] == [0, 1, 3]
    assert question.grade(definition, [0, 1, 3]).earned == 2
    assert question.grade(definition, [0, 1]).earned == 0  # 少选不得分
    assert question.grade(definition, [0, 1, 2, 3]).earned == 0  # a wrong option
    assert question.parse_response(["3", "0", "3"]) == [0, 3]
    # One right option is allowed (Moodle's multiple response with a single 100 % answer).
    assert spec(question, options=["甲", "乙"], answer="A")["answer"] == [0]
    with pytest.raises(SpecError, match="answer"):
        spec(question, options=["甲", "乙"], answer="")


@pytest.mark.parametrize("word,expected", [("正确", True), ("对", True), ("true", True),
                                           ("错误", False), ("错", False), (False, False)])
def test_true_false_accepts_the_words_trainers_use(word, expected):
    assert spec(TrueFalse(), answer=word)["answer"] is expected


def test_true_false_rejects_anything_else():
    with pytest.raises(SpecError, match="正确 or 错误"):
        spec(TrueFalse(), answer="也许")


def test_fill_blank_ignores_width_space_and_punctuation():
    question = FillBlank()
    definition = question.load_spec({"prompt": "坚持____原则，做到____。",
                                     "answer": ["四个坚持|“四个坚持”", "宁缺毋滥"]})
    assert definition["answer"] == [["四个坚持", "“四个坚持”"], ["宁缺毋滥"]]
    assert question.grade(definition, [" 四个坚持 ", "宁缺毋滥。"]).earned == 1
    assert question.grade(definition, ["四个坚持", "宁缺勿滥"]).earned == 0
    assert normalise("ＡＢＣ１２３，") == normalise("abc123")
    assert question.parse_response(["四个坚持", ""]) is None
    public = question.public_spec(definition)
    assert public["blanks"] == 2 and "answer" not in public
    with pytest.raises(SpecError, match="one entry per blank"):
        question.load_spec({"prompt": "一个____", "answer": ["甲", "乙"]})


def test_public_specs_never_carry_the_answer_or_explanation():
    """What the browser gets is the same whatever the key and explanation, under any name."""
    from lms.questions import BUILTIN_TYPES

    options = ["甲", "乙", "丙"]
    keys = {  # two different keys for each built-in type
        "single_choice": ({"options": options, "answer": "A"}, {"answer": "C"}),
        "multiple_choice": ({"options": options, "answer": "AB"}, {"answer": "BC"}),
        "true_false": ({"answer": "对"}, {"answer": "错"}),
        "fill_blank": ({"answer": "党课甲"}, {"answer": "团课乙"}),
        "ordering": ({"options": options, "answer": "BAC"}, {"answer": "CBA"}),
        "short_answer": ({"answer": "参考答案甲"}, {"answer": "参考答案乙"}),
        "numerical": ({"answer": "3.14±0.01 # 党课甲"}, {"answer": "2..5"}),
        "matching": ({"options": ["甲 -> 党课", "乙 -> 团课", "-> 党校"]},
                     {"options": ["甲 -> 团课", "乙 -> 党校", "-> 党课"]}),
    }
    assert set(keys) == {question_type.name for question_type in BUILTIN_TYPES}
    for question_type in BUILTIN_TYPES:
        question = question_type()
        first, second = keys[question.name]
        one = question.public_spec(spec(question, explanation="因为原文如此", **first))
        two = question.public_spec(spec(question, explanation="另有解析", **{**first, **second}))
        assert one == two, question.name
        assert "原文" not in repr(one) and "党课甲" not in repr(one), question.name


def test_item_analysis_labels_follow_the_course_file_not_the_shuffled_order():
    import random

    question = MultipleChoice()
    definition = spec(question, options=["甲", "乙", "丙", "丁"], answer="AB")
    shuffled = question.shuffle(definition, random.Random(3))
    order = shuffled["option_order"]
    shown_a, shown_b = order.index(0), order.index(1)  # where 甲 and 乙 ended up
    assert shuffled["answer"] == sorted([shown_a, shown_b])
    chosen, offered = question.analysis_labels(shuffled, [shown_b, shown_a])
    assert chosen == ("A", "B") and offered == ("A", "B", "C", "D")
    assert TrueFalse().analysis_labels({}, False) == (("错误",), ("正确", "错误"))
    assert FillBlank().analysis_labels({}, ["x"]) == ((), ())


def test_feedback_names_what_was_missed():
    choice = MultipleChoice()
    definition = {**spec(choice, options=["甲", "乙", "丙"], answer="AB"), "scoring": "half"}
    assert choice.grade(definition, [0]).feedback == "Not every correct option was chosen."
    assert choice.grade(definition, [0, 1]).feedback == ""
    blanks = FillBlank()
    definition = blanks.load_spec({"prompt": "____和____", "answer": ["甲", "乙"]})
    assert blanks.grade(definition, ["甲", "丙"]).feedback == "Blank 2 is not right."


def test_multiple_choice_pins_the_quiz_scoring_mode_other_types_ignore_settings():
    settings = QuizSettings(multiple_choice_scoring="half")
    choice = MultipleChoice()
    definition = spec(choice, options=["甲", "乙", "丙"], answer="AB", points=2)
    pinned = choice.apply_quiz_settings(definition, settings)
    assert choice.grade(pinned, [0]).earned == 1  # 少选得一半分
    assert choice.grade(definition, [0]).earned == 0  # the stored definition is untouched
    single = SingleChoice()
    definition = spec(single, options=["甲", "乙"], answer="A")
    assert single.apply_quiz_settings(definition, settings) == definition
