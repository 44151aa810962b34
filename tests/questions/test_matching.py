"""匹配题 (连线题): pairs shown as one select per item, graded per pair as Moodle does."""

from __future__ import annotations

import io
import random
import re

import pytest
from flask_babel import force_locale
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from lms.content.gift import export_gift, parse_gift
from lms.content.xlsx_bank import BankInvalid, read_question_bank, write_question_bank
from lms.models import QuizAttempt
from lms.plugins import load_question_types
from lms.questions.base import SpecError
from lms.questions.matching import Matching
from lms.quiz_settings import QuizSettings, SettingsError, parse_quiz_settings
from tests.conftest import submit_quiz
from tests.content.test_xlsx_bank import BABEL_APP

REGISTRY = load_question_types()
MATCHING = Matching()
ORGANS = ["党的最高领导机关 -> 党的全国代表大会", "党的最高纪律检查机关 -> 中央纪律检查委员会",
          "党的地方领导机关 -> 地方各级代表大会", "-> 中央军事委员会"]


def spec(options=ORGANS, points=1, **extra):
    return MATCHING.load_spec({"type": "matching", "prompt": "请连线。", "options": options,
                               "points": points, **extra})


def right_match(definition, item):
    return definition["answer"]["matches"][definition["answer"]["key"][item]]


# --- Definitions -----------------------------------------------------------------------------

def test_the_arrow_may_be_typed_several_ways_or_the_pair_given_as_a_list():
    written = spec(["甲 -> 一", "乙→二", "丙 －＞ 三", "丁-》四", "戊 —> 五", ["己", "六"],
                    [None, "七"], "-> 八"])
    assert written["options"] == ["甲", "乙", "丙", "丁", "戊", "己"]
    assert [right_match(written, i) for i in range(6)] == ["一", "二", "三", "四", "五", "六"]
    assert set(written["answer"]["matches"]) == {"一", "二", "三", "四", "五", "六", "七", "八"}


def test_a_line_splits_at_its_first_arrow_and_items_may_share_a_match():
    shared = spec(["甲 -> 一 -> 二", "乙 -> 一 -> 二", "-> 三"])
    assert shared["options"] == ["甲", "乙"]
    assert right_match(shared, 0) == right_match(shared, 1) == "一 -> 二"
    assert shared["answer"]["matches"] == ["一 -> 二", "三"]


@pytest.mark.parametrize("options,words", [
    (None, "must list the pairs"),
    (["甲 -> 一"], "needs 2 to 10 pairs"),
    ([f"{i} -> {i}" for i in range(11)], "needs 2 to 10 pairs"),
    (["甲 -> 一", "-> 二", "-> 三"], "needs 2 to 10 pairs"),
    (["甲 一", "乙 -> 二"], "line 1 must be an item, ->, then its match"),
    (["甲 -> 一", "乙 ->"], "line 2 has no match after the arrow"),
    (["甲 -> 一", ["乙 → 丙", "二"]], "line 2: an item cannot contain an arrow"),
    (["甲 -> 一", "甲 -> 二"], "two items read “甲”"),
    (["甲 -> 一", "乙 -> 一"], "needs at least two different matches"),
    (["甲 -> 一", "乙 -> 二", *(f"-> 干扰{i}" for i in range(11))], "more than 10 distractors"),
    (["甲 -> 一", ["乙"]], "line 2 must be an item"),
])
def test_invalid_definitions_name_the_options_field(options, words):
    with pytest.raises(SpecError, match=words) as error:
        spec(options)
    assert error.value.field == "options"


def test_a_course_file_may_not_give_an_answer_key():
    assert "answer" not in MATCHING.keys and "options" in MATCHING.keys


# --- What the trainee sees -------------------------------------------------------------------

def test_the_stored_and_public_order_of_the_matches_says_nothing_about_the_pairing():
    one = spec(["甲 -> 一", "乙 -> 二", "丙 -> 三"])
    other = spec(["甲 -> 三", "乙 -> 一", "丙 -> 二"])
    assert MATCHING.public_spec(one) == MATCHING.public_spec(other)
    public = MATCHING.public_spec(one)
    assert public["options"] == ["甲", "乙", "丙"] and sorted(public["matches"]) == ["一", "三", "二"]
    assert "answer" not in public and "key" not in repr(public)


def test_each_attempt_shuffles_the_matches_pins_the_order_and_remaps_the_key():
    definition = spec()
    shuffled = MATCHING.shuffle(definition, random.Random(7))
    order = shuffled["match_order"]
    assert sorted(order) == list(range(4)) and order != list(range(4))
    assert shuffled["answer"]["matches"] == [definition["answer"]["matches"][i] for i in order]
    assert shuffled["options"] == definition["options"]  # the items keep their written order
    assert [right_match(shuffled, i) for i in range(3)] == [
        "党的全国代表大会", "中央纪律检查委员会", "地方各级代表大会"]
    assert MATCHING.public_spec(shuffled)["matches"] == shuffled["answer"]["matches"]
    assert MATCHING.always_shuffle


# --- Grading ---------------------------------------------------------------------------------

def test_each_right_pair_earns_its_share_by_default_as_in_moodle():
    definition = MATCHING.shuffle(spec(points=3), random.Random(1))
    key = definition["answer"]["key"]
    wrong = definition["answer"]["matches"].index("中央军事委员会")  # the distractor
    assert MATCHING.grade(definition, key) == MATCHING.grade(definition, list(key))
    assert MATCHING.grade(definition, key).earned == 3
    partly = MATCHING.grade(definition, [key[0], wrong, key[2]])
    assert (partly.earned, partly.possible, partly.correct) == (2, 3, False)
    assert partly.feedback == "2 of 3 pairs are right."
    assert MATCHING.grade(definition, [wrong, wrong, wrong]).earned == 0


def test_the_quiz_may_ask_for_all_pairs_right():
    definition = spec(points=3)
    key = definition["answer"]["key"]
    pinned = MATCHING.apply_quiz_settings(
        definition, parse_quiz_settings({"matching_scoring": "all_or_nothing"}))
    assert MATCHING.grade(pinned, [key[0], key[0], key[2]]).earned == 0
    assert MATCHING.grade(pinned, key).earned == 3
    default = MATCHING.apply_quiz_settings(definition, parse_quiz_settings({}))
    assert MATCHING.grade(default, [key[0], key[0], key[2]]).earned == 2


def test_the_scoring_setting_is_checked_and_stored_only_when_set():
    with pytest.raises(SettingsError, match="per_pair, all_or_nothing"):
        parse_quiz_settings({"matching_scoring": "half"})
    assert "matching_scoring" not in QuizSettings().to_json()  # stored settings stay as they were
    strict = QuizSettings(matching_scoring="all_or_nothing")
    assert QuizSettings.from_json(strict.to_json()) == strict


@pytest.mark.parametrize("values", [[], ["0", ""], ["0", "x"], ["1", "-1"], ["0", "²"]])
def test_every_item_must_be_matched(values):
    assert MATCHING.parse_response(values) is None


def test_a_response_of_the_wrong_length_gets_nothing():
    definition = spec()
    assert MATCHING.grade(definition, definition["answer"]["key"][:2]).earned == 0
    assert MATCHING.grade(definition, [99, 99, 99]).earned == 0


def test_answers_and_item_analysis_read_item_letter_then_match():
    definition = MATCHING.shuffle(spec(), random.Random(3))
    matches = definition["answer"]["matches"]
    assert MATCHING.describe_answer(definition) == (
        "A→党的全国代表大会；B→中央纪律检查委员会；C→地方各级代表大会")
    distractor = matches.index("中央军事委员会")
    response = [definition["answer"]["key"][0], distractor, distractor]
    assert MATCHING.describe_response(definition, response) == (
        "A→党的全国代表大会；B→中央军事委员会；C→中央军事委员会")
    chosen, offered = MATCHING.analysis_labels(definition, response)
    assert chosen == ("A→党的全国代表大会", "B→中央军事委员会", "C→中央军事委员会")
    assert offered == ("A→党的全国代表大会", "B→中央纪律检查委员会", "C→地方各级代表大会")
    assert MATCHING.analysis_key(definition) == offered  # the analysis marks them as the key
    # The labels name matches by text, so every attempt's shuffle counts alike.
    other = MATCHING.shuffle(spec(), random.Random(4))
    assert MATCHING.analysis_labels(other, other["answer"]["key"])[0] == offered


# --- GIFT, as Moodle's question/format/gift/format.php reads it ------------------------------

def test_gift_matching_with_distractors_escapes_and_general_feedback():
    text = ("::organs::Match them. {\n"
            "  =党的最高领导机关 -> 党的全国代表大会\n"
            "  =a \\= b\\: c -> d \\{e\\}\n"
            "  = -> 中央军事委员会\n"
            "  =x -> y # not feedback in Moodle\n"
            "  ####见党章\\#第十条.\n}")
    (question,) = parse_gift(text, REGISTRY).questions
    assert question.raw["options"] == ["党的最高领导机关 -> 党的全国代表大会", "a = b: c -> d {e}",
                                       "-> 中央军事委员会", "x -> y # not feedback in Moodle"]
    assert question.raw["explanation"] == "见党章#第十条."
    definition = REGISTRY["matching"].load_spec(question.raw)
    assert definition["options"] == ["党的最高领导机关", "a = b: c", "x"]
    assert definition["title"] == "organs"
    again = parse_gift(export_gift([("matching", definition)], REGISTRY), REGISTRY).questions
    assert REGISTRY["matching"].load_spec(again[0].raw) == definition


def test_gift_export_is_moodles_form():
    definition = spec(["甲 -> 一", "乙 -> 二#", "-> 三"], explanation="见党章。")
    assert export_gift([("matching", definition)], REGISTRY) == (
        "请连线。 {\n\t=甲 -> 一\n\t=乙 -> 二\\#\n\t= -> 三\n\t####见党章。\n}\n")


def test_moodles_own_examples_import():
    (question,) = parse_gift("Match the following countries with their corresponding\n"
                             "capitals.{=Canada->Ottawa =Italy->Rome =Japan->Tokyo}",
                             REGISTRY).questions
    assert question.raw["options"] == ["Canada -> Ottawa", "Italy -> Rome", "Japan -> Tokyo"]


@pytest.mark.parametrize("text,reason", [
    ("Match.{=a -> 1}", "line 1: matching question needs at least two pairs"),
    ("Match.{=a -> 1 =b 2}", "line 1: matching pair “b 2” has no ->"),
    ("Match.{=a → b -> 1 =c -> 2}",
     "line 1: matching item “a → b” contains an arrow such as →, which here ends an item"),
    ("Match.{=a -> 1 =a -> 2}", "line 1: invalid matching (options: two items read “a”)"),
])
def test_gift_matching_faults_are_named(text, reason):
    result = parse_gift(text, REGISTRY)
    assert not result.questions and [str(s) for s in result.skipped] == [reason]


# --- Excel and course files ------------------------------------------------------------------

def test_excel_row_holds_one_pair_per_option_cell_and_round_trips():
    definition = spec(points=2, explanation="见党章。")
    data = write_question_bank([("matching", definition)], REGISTRY)
    row = [c.value for c in load_workbook(io.BytesIO(data))["题库"][2]]
    assert row[0] == "匹配题" and row[2:6] == ORGANS[:3] + ["→ 中央军事委员会"]
    (read,) = read_question_bank(data, REGISTRY)
    assert REGISTRY["matching"].load_spec(read.raw) == definition


def test_more_lines_than_option_cells_share_the_cells():
    many = spec([f"项{i} -> 答{i}" for i in range(10)] + ["-> 干扰一", "-> 干扰二"])
    data = write_question_bank([("matching", many)], REGISTRY)
    (read,) = read_question_bank(data, REGISTRY)
    assert REGISTRY["matching"].load_spec(read.raw) == many


def excel_row(*cells):
    book = Workbook()
    book.active.append(["题型", "题干", "选项A", "选项B", "选项C", "正确答案", "解析", "分值"])
    book.active.append(list(cells))
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def test_excel_labels_and_problems_in_chinese():
    (row,) = read_question_bank(excel_row("连线题", "连线", "甲 → 一", "乙 -> 二", "-> 三", "",
                                          "", 1), REGISTRY)
    assert row.raw["type"] == "matching"
    with pytest.raises(BankInvalid) as error:
        read_question_bank(excel_row("匹配题", "连线", "甲 一", "乙 -> 二", "", "", "", 1),
                           REGISTRY)
    with BABEL_APP.test_request_context(), force_locale("zh_Hans_CN"):
        assert error.value.translated() == [
            "第2行: 匹配题的选项A“甲 一”应写成“题目 -> 答案”（干扰项写成“→ 答案”）"]


def test_course_file_and_form_write_the_pairs_back():
    definition = spec(["乙 → 二", ["甲", "一"], "-> 三"], points=2, explanation="解析")
    written = MATCHING.file_write(definition)
    assert written == {"prompt": "请连线。", "options": ["乙 -> 二", "甲 -> 一", "-> 三"],
                       "explanation": "解析", "points": 2}
    assert MATCHING.load_spec({"type": "matching", **written}) == definition
    values = MATCHING.form_values(written)
    assert values["options"] == "乙 -> 二\n甲 -> 一\n-> 三" and "answer" not in values
    assert MATCHING.load_spec({"type": "matching", **MATCHING.form_raw(values)}) == definition


# --- A trainee takes the quiz over HTTP ------------------------------------------------------

SELECT = re.compile(r'<label for="(q1-\d)">.*?</span> (.*?)</label>\s*<select id="\1" '
                    r'name="q1">(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="(\d+)"( selected)?>(.*?)</option>')


def selects(page: str) -> dict[str, dict[str, tuple[str, bool]]]:
    """Item → {match text → (value, selected)} as the quiz page shows them."""
    return {item: {text: (value, bool(chosen)) for value, chosen, text in OPTION.findall(body)}
            for _id, item, body in SELECT.findall(page)}


def test_a_trainee_matches_pairs_on_a_phone_and_gets_partial_credit(client, login_as, db,
                                                                    make_course):
    question = {"type": "matching", "prompt": "请将机关与职权连线。", "options": ORGANS,
                "points": 3}
    quiz = make_course([{"questions": [question]}]).modules[0]
    user = login_as()
    page = client.get(quiz.quiz_url).get_data(as_text=True)
    shown = selects(page)
    assert list(shown) == ["党的最高领导机关", "党的最高纪律检查机关", "党的地方领导机关"]
    assert all(len(choices) == 4 for choices in shown.values())
    first, second, third = (shown[item] for item in shown)
    # One item left unmatched: asked to finish, the choices made are kept.
    partial = {"q1": [first["党的全国代表大会"][0], "", third["地方各级代表大会"][0]]}
    again = submit_quiz(client, quiz.quiz_url, partial).get_data(as_text=True)
    assert "This question is not answered yet." in again or "本题尚未作答" in again
    kept = selects(again)
    assert kept["党的最高领导机关"]["党的全国代表大会"][1]
    assert not any(chosen for _, chosen in kept["党的最高纪律检查机关"].values())

    answers = {"q1": [first["党的全国代表大会"][0], second["中央军事委员会"][0],
                      third["地方各级代表大会"][0]]}
    result = submit_quiz(client, quiz.quiz_url, answers)
    assert result.status_code in (302, 303)
    review = client.get(result.location).get_data(as_text=True)
    assert "A→党的全国代表大会；B→中央军事委员会；C→地方各级代表大会" in review
    assert "B→中央纪律检查委员会" in review  # the correct answer, shown after submission
    db.expire_all()
    attempt = db.scalar(select(QuizAttempt).where(QuizAttempt.user_id == user.id))
    assert [r["earned"] for r in attempt.results] == [2]
    assert attempt.questions[0]["scoring"] == "per_pair"
    assert sorted(attempt.questions[0]["match_order"]) == [0, 1, 2, 3]
