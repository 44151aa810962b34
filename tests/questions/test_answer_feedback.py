"""Per-answer credit and feedback in the stored spec: definitions without any load exactly as
before (their content hash is unchanged), feedback follows a shuffle, and course files, the
browser form and Excel write it back; a trainee sees the feedback of what they answered."""

from __future__ import annotations

import io
import random

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from lms.content.course_writer import write_question
from lms.content.xlsx_bank import read_question_bank, write_question_bank
from lms.models import QuizAttempt
from lms.plugins import load_question_types
from lms.questions.base import SpecError
from lms.services.course_content import QuestionContent
from tests.conftest import submit_quiz

REGISTRY = load_question_types()


def load(type_name: str, **raw) -> dict:
    return REGISTRY[type_name].load_spec({"type": type_name, **raw})


def through_files_and_form(type_name: str, spec: dict) -> tuple[dict, dict]:
    """(the spec read back from its course-file form, and from the browser form)."""
    question_type = REGISTRY[type_name]
    written = write_question(QuestionContent.from_spec("k", "file", type_name, spec), REGISTRY)
    from_file = question_type.load_spec({k: v for k, v in written.items() if k != "id"})
    values = question_type.form_values(written)
    return from_file, question_type.load_spec({"type": type_name,
                                               **question_type.form_raw(values)})


# --- Definitions without credit or feedback keep their key (and hash) ----------------------

def test_definitions_without_feedback_keep_the_answer_key_they_always_had():
    assert load("single_choice", prompt="?", options=["a", "b"], answer="B")["answer"] == 1
    assert load("multiple_choice", prompt="?", options=["a", "b", "c"],
                answer="AC")["answer"] == [0, 2]
    assert load("true_false", prompt="?", answer="对")["answer"] is True
    for answer in (["甲|乙", "丙"], [["甲", "乙"], ["丙"]], ["甲;乙", ["丙"]]):
        assert load("fill_blank", prompt="____和____", answer=answer)["answer"] == [
            ["甲", "乙"], ["丙"]]
    assert load("fill_blank", prompt="____", answer=[[119, "C#"]])["answer"] == [["119", "C#"]]
    spec = load("fill_blank", prompt="____", answer="甲|乙")
    digest = QuestionContent.from_spec("k", "file", "fill_blank", spec).digest
    assert digest == QuestionContent.from_spec("k", "file", "fill_blank", {
        "prompt": "____", "options": None, "answer": [["甲", "乙"]], "explanation": "",
        "points": 1}).digest


def test_feedback_and_credit_are_stored_in_the_answer_key():
    assert load("single_choice", prompt="?", options=["a", "b"], answer="B",
                feedback={"a": "No."})["answer"] == {"key": 1, "feedback": ["No.", ""]}
    assert load("true_false", prompt="?", answer="错", feedback=["对：不对。"])["answer"] == {
        "key": False, "feedback": ["不对。", ""]}
    assert load("fill_blank", prompt="____", answer="猫|小猫 （50％） # 接近|C# # 不是")["answer"] == [
        ["猫", {"text": "小猫", "credit": 50, "feedback": "接近"},
         {"text": "C#", "credit": 100, "feedback": "不是"}]]


@pytest.mark.parametrize("type_name,raw,field", [
    ("single_choice", {"options": ["a", "b"], "answer": "A", "feedback": {"C": "x"}}, "feedback"),
    ("single_choice", {"options": ["a", "b"], "answer": "A", "feedback": ["A no colon"]},
     "feedback"),
    ("true_false", {"answer": "对", "feedback": {"也许": "x"}}, "feedback"),
    ("fill_blank", {"answer": "甲 (150%)"}, "answer"),
    ("fill_blank", {"answer": "甲 (50%)"}, "answer"),
])
def test_bad_feedback_or_credit_names_the_field(type_name, raw, field):
    with pytest.raises(SpecError) as error:
        load(type_name, prompt="____?", **raw)
    assert error.value.field == field


# --- Grading -------------------------------------------------------------------------------

def test_a_blank_earns_its_best_match_and_the_question_its_weakest_blank():
    spec = load("fill_blank", prompt="____和____", points=4,
                answer=["党员 # 对|群众 (0%) # 群众不是党员|积极分子 (50%)", "支部"])
    fill = REGISTRY["fill_blank"]
    assert fill.grade(spec, ["党员", "支部"]).earned == 4
    half = fill.grade(spec, ["积极分子", "支部"])
    assert (half.earned, half.correct) == (2, False)
    wrong = fill.grade(spec, ["群众", "支部"])
    assert (wrong.earned, wrong.feedback) == (0, "Blank 1 is not right. Blank 1: 群众不是党员")


def test_shuffled_options_carry_their_feedback():
    single = REGISTRY["single_choice"]
    spec = load("single_choice", prompt="?", options=["甲", "乙", "丙", "丁"], answer="C",
                feedback={"A": "说甲", "C": "说丙"})
    for seed in range(6):
        shown = single.shuffle(spec, random.Random(seed))
        for index, option in enumerate(shown["options"]):
            said = {"甲": "说甲", "丙": "说丙"}.get(option, "")
            assert single.grade(shown, index).feedback == said
            assert single.grade(shown, index).correct is (option == "丙")
    multiple = REGISTRY["multiple_choice"]
    spec = load("multiple_choice", prompt="?", options=["甲", "乙", "丙"], answer="AB",
                feedback={"C": "丙不对"})
    shown = multiple.shuffle(spec, random.Random(1))
    wrong = shown["options"].index("丙")
    assert multiple.grade(shown, [wrong]).feedback == f"{'ABC'[wrong]}：丙不对"


# --- Course files, the browser form and Excel ----------------------------------------------

@pytest.mark.parametrize("type_name,raw", [
    ("single_choice", {"options": ["甲", "乙"], "answer": "A", "feedback": {"B": "乙：不对"}}),
    ("multiple_choice", {"options": ["甲", "乙", "丙"], "answer": "B",
                         "feedback": {"A": "不选甲", "B": "选乙"}}),
    ("true_false", {"answer": "正确", "feedback": {"错误": "其实是对的。"}}),
    ("fill_blank", {"answer": ["猫|小猫 (50%) # 接近了", "* (0%) # 再想想|狗"]}),
])
def test_course_files_and_the_form_write_credit_and_feedback_back(type_name, raw):
    spec = load(type_name, prompt="____和____？", **raw)
    assert through_files_and_form(type_name, spec) == (spec, spec)


def test_the_form_shows_feedback_as_lines_trainers_can_read():
    spec = load("single_choice", prompt="?", options=["甲", "乙"], answer="A",
                feedback={"B": "不对"})
    written = write_question(QuestionContent.from_spec("k", "file", "single_choice", spec),
                             REGISTRY)
    assert written["feedback"] == {"B": "不对"}
    assert REGISTRY["single_choice"].form_values(written)["feedback"] == "B：不对"
    spec = load("fill_blank", prompt="____", answer="猫|小猫 (50%) # 接近了")
    written = write_question(QuestionContent.from_spec("k", "file", "fill_blank", spec),
                             REGISTRY)
    assert REGISTRY["fill_blank"].form_values(written)["answer"] == "猫|小猫 (50%) # 接近了"


def test_excel_keeps_credit_and_feedback_after_a_hash_and_refuses_what_it_cannot_hold():
    specs = [
        ("fill_blank", load("fill_blank", prompt="____", answer="猫|小猫 (50%) # 接近了")),
        ("single_choice", load("single_choice", prompt="?", options=["甲", "乙"], answer="A",
                               feedback={"B": "乙不对"})),
        ("multiple_choice", load("multiple_choice", prompt="?", options=["甲", "乙", "丙"],
                                 answer="AB", feedback={"C": "丙不对"})),
        ("true_false", load("true_false", prompt="?", answer="对", feedback={"错误": "是对的"})),
    ]
    data = write_question_bank(specs, REGISTRY)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [c.value for c in sheet[3]][2:4] == ["甲", "乙 # 乙不对"]
    rows = read_question_bank(data, REGISTRY)
    assert [(r.raw["type"], REGISTRY[r.raw["type"]].load_spec(r.raw)) for r in rows] == specs
    one_right = load("multiple_choice", prompt="?", options=["a", "b"], answer="A")
    with pytest.raises(ValueError, match="one right option"):
        write_question_bank([("multiple_choice", one_right)], REGISTRY)
    hashed = load("single_choice", prompt="?", options=["C #", "D"], answer="A")
    with pytest.raises(ValueError, match="#"):
        write_question_bank([("single_choice", hashed)], REGISTRY)


# --- A trainee sees the feedback of what they answered -------------------------------------

def test_a_trainee_gets_half_marks_for_a_half_credit_answer_and_sees_its_feedback(
        client, login_as, db, make_course):
    questions = [
        {"type": "fill_blank", "prompt": "中国共产党成立于____年。", "points": 2,
         "answer": ["1921|1920 (50%) # 差一年，是1921年"]},
        {"type": "single_choice", "prompt": "党的最高领导机关是？",
         "options": ["全国代表大会", "中央委员会"], "answer": "A",
         "feedback": {"B": "中央委员会是执行机关"}},
    ]
    quiz = make_course([{"questions": questions}]).modules[0]
    user = login_as()
    assert "差一年" not in client.get(quiz.quiz_url).get_data(as_text=True)
    result = submit_quiz(client, quiz.quiz_url, {"q1": ["1920"], "q2": ["1"]})
    assert result.status_code in (302, 303)
    review = client.get(result.location).get_data(as_text=True)
    assert "差一年，是1921年" in review and "中央委员会是执行机关" in review
    db.expire_all()
    attempt = db.scalar(select(QuizAttempt).where(QuizAttempt.user_id == user.id))
    assert [r["earned"] for r in attempt.results] == [1, 0]


def test_answers_that_only_look_like_credit_or_feedback_stay_answers():
    from lms.plugins import load_question_types

    fill = load_question_types()["fill_blank"]
    spec = fill.load_spec({"type": "fill_blank", "prompt": "增速为____。",
                           "answer": ["增长（5%）|C#|增长(5%)"]})
    assert spec["answer"] == [["增长（5%）", "C#", "增长(5%)"]]
