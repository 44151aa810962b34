"""数值题: Moodle's numerical question — tolerance, ranges, partial credit, units, phone input."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from lms.content.gift import export_gift, parse_gift
from lms.content.xlsx_bank import read_question_bank, write_question_bank
from lms.models import QuizAttempt
from lms.plugins import load_question_types
from lms.questions.base import SpecError
from lms.questions.numerical import Numerical
from tests.conftest import submit_quiz

REGISTRY = load_question_types()
NUMERICAL = Numerical()


def spec(answer, units=None, points=1, **extra):
    raw = {"type": "numerical", "prompt": "多少？", "answer": answer, "points": points, **extra}
    if units is not None:
        raw["units"] = units
    return NUMERICAL.load_spec(raw)


def earned(definition, text):
    response = NUMERICAL.parse_response([text])
    return None if response is None else NUMERICAL.grade(definition, response).earned


# --- Grading ---------------------------------------------------------------------------------

def test_an_exact_answer_accepts_that_number_only():
    pi = spec("3.14")
    assert earned(pi, "3.14") == 1 and earned(pi, "3.140") == 1 and earned(pi, "+3.14") == 1
    assert earned(pi, "3.141") == 0 and earned(pi, "-3.14") == 0


def test_the_tolerance_is_absolute_and_both_edges_count():
    pi = spec("3.14±0.01")
    assert [earned(pi, v) for v in ("3.13", "3.15", "3.1300", "3.12999", "3.15001")] == [
        1, 1, 1, 0, 0]
    assert spec("3.14:0.01") == pi == spec("3.14+-0.01")  # GIFT's and ASCII spellings


def test_a_range_includes_both_ends():
    year = spec("1920..1922")
    assert [earned(year, v) for v in ("1920", "1921.5", "1922", "1919.99", "1922.01")] == [
        1, 1, 1, 0, 0]
    assert spec("-5..-1")["answer"]["accepted"][0] == {"min": "-5", "max": "-1", "credit": 100,
                                                       "feedback": ""}


def test_several_answers_the_best_crediting_match_wins_with_its_feedback():
    year = spec(["1921 # 正确", "1920..1922 (50%) # 差一点", "* (0%) # 请查阅党史"], points=4)
    assert NUMERICAL.grade(year, "1921") == NUMERICAL.grade(year, "1921.0")
    assert NUMERICAL.grade(year, "1921").earned == 4
    assert NUMERICAL.grade(year, "1921").feedback == "正确"
    close = NUMERICAL.grade(year, "1922")
    assert (close.earned, close.possible, close.feedback, close.correct) == (2, 4, "差一点", False)
    assert NUMERICAL.grade(year, "1949").feedback == "请查阅党史"
    assert NUMERICAL.grade(year, "1949").earned == 0
    # Listed worst first, the full-credit answer still wins (Moodle takes the first match).
    assert earned(spec(["1920..1922 (50%)", "1921"]), "1921") == 1


def test_phone_input_full_width_digits_and_chinese_decimal_points_are_numbers():
    pi = spec("3.14±0.001")
    for typed in ("３．１４", "3。14", "３。１４", " 3.14 ", "＋3.14", "3.14\u3000"):
        assert earned(pi, typed) == 1, typed
    assert earned(spec("-2"), "－２") == 1
    assert earned(spec("1000"), "1,000") == 1 and earned(spec("1000"), "1e3") == 1


@pytest.mark.parametrize("typed", ["abc", "3.14.15", "三点一四", "--3", "3,14", "1/2", "nan",
                                   "inf", "3.14 米米", "." * 100])
def test_garbage_gets_no_credit_a_reason_and_no_crash(typed):
    grade = NUMERICAL.grade(spec("3.14", units=["米"]), NUMERICAL.parse_response([typed]))
    assert grade.earned == 0 and grade.feedback


def test_an_empty_answer_is_unanswered():
    assert NUMERICAL.parse_response([""]) is None and NUMERICAL.parse_response(["   "]) is None
    assert NUMERICAL.parse_response([]) is None


def test_units_are_optional_but_must_be_declared_ones_when_given():
    length = spec("3.14±0.01", units=["米", "m"])
    assert [earned(length, v) for v in ("3.14", "3.14米", "3.14 m", "３．１４ｍ")] == [1, 1, 1, 1]
    wrong = NUMERICAL.grade(length, "3.14 km")
    assert wrong.earned == 0 and "km" in wrong.feedback
    assert earned(spec("3.14"), "3.14米") == 0  # no units declared: a number only
    assert NUMERICAL.describe_answer(length) == "3.14±0.01 米"


def test_invalid_definitions_name_the_problem():
    for answer, words in [("abc", "not a number"), ("5..1", "larger number"),
                          ("3±-1", "negative"), ("3 (150%)", "between 0% and 100%"),
                          ("3 (50%)", "full credit"), ([], "at least one")]:
        with pytest.raises(SpecError, match=words) as error:
            spec(answer)
        assert error.value.field == "answer"


def test_item_analysis_labels_each_accepted_answer_and_other():
    year = spec(["1921", "1920..1922 (50%)"])
    offered = ("1921", "1920..1922", "其他")
    assert NUMERICAL.analysis_labels(year, "1921") == (("1921",), offered)
    assert NUMERICAL.analysis_labels(year, "1920") == (("1920..1922",), offered)
    assert NUMERICAL.analysis_labels(year, "abc") == (("其他",), offered)
    assert NUMERICAL.analysis_labels(year, None) == ((), offered)
    assert NUMERICAL.analysis_key(year) == ("1921",)  # the 50% range is not the key


# --- GIFT, as Moodle's question/format/gift/format.php reads it ------------------------------

@pytest.mark.parametrize("text,accepted", [
    ("Grant was born in?{#1822}", [{"value": "1822", "tolerance": "0"}]),
    ("Pi?{#3.14:0.01}", [{"value": "3.14", "tolerance": "0.01"}]),
    ("Pi?{#3.141..3.142}", [{"min": "3.141", "max": "3.142"}]),
    ("Pi?{#=3.14:0.005 =%50%3.1:0.1}", [{"value": "3.14", "tolerance": "0.005"},
                                         {"value": "3.1", "tolerance": "0.1", "credit": 50}]),
    ("Born?{#\n=1822:0 #Correct!\n=%50%1822:2 #Close,\n  you get half.\n}",
     [{"value": "1822", "tolerance": "0", "feedback": "Correct!"},
      {"value": "1822", "tolerance": "2", "credit": 50, "feedback": "Close, you get half."}]),
    ("Born?{#=1822 ~#Read the chapter again.}",
     [{"value": "1822", "tolerance": "0"},
      {"value": "*", "tolerance": "0", "credit": 0, "feedback": "Read the chapter again."}]),
])
def test_gift_numerical_forms_import_and_export_unchanged(text, accepted):
    result = parse_gift(text, REGISTRY)
    assert not result.skipped
    (question,) = result.questions
    definition = REGISTRY["numerical"].load_spec(question.raw)
    assert definition["answer"]["accepted"] == [
        {"credit": 100, "feedback": "", **entry} for entry in accepted]
    written = export_gift([("numerical", definition)], REGISTRY)
    again = parse_gift(written, REGISTRY).questions
    assert REGISTRY["numerical"].load_spec(again[0].raw) == definition


def test_gift_export_is_moodles_form_and_notes_the_units_it_cannot_hold():
    definition = spec(["3.14±0.01 # 对", "3.1..3.2 (50%)"], units=["米"],
                      explanation="保留两位小数。")
    assert export_gift([("numerical", definition)], REGISTRY) == (
        "// units: 米 (GIFT numerical has no units, so they are left out)\n"
        "多少？ {#=3.14:0.01#对 =%50%3.1..3.2####保留两位小数。}\n")
    assert export_gift([("numerical", spec("4"))], REGISTRY) == "多少？ {#4}\n"


def test_gift_numerical_faults_are_named():
    assert [str(s) for s in parse_gift("Pi?{#three}", REGISTRY).skipped] == [
        "line 1: invalid numerical (answer: answer 1: “three” is not a number)"]
    assert [str(s) for s in parse_gift("Pi?{#=%150%3}", REGISTRY).skipped] == [
        "line 1: invalid numerical (answer: answer 1: credit must be between 0% and 100%)"]
    assert [str(s) for s in parse_gift("Pi?{#}", REGISTRY).skipped] == [
        "line 1: numerical question has no answer"]


# --- Excel and course files ------------------------------------------------------------------

def test_excel_row_round_trips_with_units_in_the_option_cells():
    definition = spec(["1921", "1920..1922 (50%) # 差一点"], units=["年"], points=2)
    data = write_question_bank([("numerical", definition)], REGISTRY)
    sheet = load_workbook(io.BytesIO(data))["题库"]
    row = [c.value for c in sheet[2]]
    assert row[0] == "数值题" and row[2] == "年"
    assert "1921；1920..1922 (50%) # 差一点" in row
    (read,) = read_question_bank(data, REGISTRY)
    assert REGISTRY["numerical"].load_spec(read.raw) == definition


def test_course_file_form_reads_back_as_the_same_definition():
    definition = spec(["3.14±0.01 # 对", "3.1..3.2 (33.33333%)", "* (0%) # 再算"],
                      units=["米", "m"], points=3, explanation="见教材。")
    written = NUMERICAL.file_write(definition)
    assert written["answer"] == ["3.14±0.01 # 对", "3.1..3.2 (33.33333%)", "* (0%) # 再算"]
    assert written["units"] == ["米", "m"] and written["points"] == 3
    assert NUMERICAL.load_spec({"type": "numerical", **written}) == definition


# --- A trainee takes the quiz over HTTP ------------------------------------------------------

def test_a_trainee_answers_numerical_questions_on_a_phone(client, login_as, db, make_course):
    questions = [
        {"type": "numerical", "prompt": "党的一大召开于哪一年？",
         "answer": ["1921 # 正确", "1920..1922 (50%) # 差一点"], "points": 2},
        {"type": "numerical", "prompt": "圆周率约为多少？", "answer": "3.14±0.01",
         "units": ["米"]},
        {"type": "numerical", "prompt": "二加二？", "answer": "4"},
    ]
    quiz = make_course([{"questions": questions}]).modules[0]
    user = login_as()
    page = client.get(quiz.quiz_url).get_data(as_text=True)
    assert page.count('inputmode="decimal"') == 3 and "1921" not in page
    result = submit_quiz(client, quiz.quiz_url, {"q1": ["１９２２"], "q2": ["3。14 米"],
                                                 "q3": ["四"]})
    assert result.status_code in (302, 303)
    review = client.get(result.location).get_data(as_text=True)
    assert "差一点" in review
    db.expire_all()
    attempt = db.scalar(select(QuizAttempt).where(QuizAttempt.user_id == user.id))
    assert [r["earned"] for r in attempt.results] == [1, 1, 0]
    assert attempt.answers == ["１９２２", "3。14 米", "四"]
