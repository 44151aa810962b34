"""The trainer's item analysis reads as a person needs it: what each figure means, the
questions to look at first and labelled, the key marked in each option distribution, and the
quiz's internal consistency as Cronbach's alpha on the marks earned."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from lms.models import User
from lms.services import catalog, quizzes

# Five questions; q4 is a 2-point multiple choice scored "half" (one right option of two: 1).
QUESTIONS = [
    {"type": "single_choice", "prompt": "第一题：好题。", "options": ["甲", "乙", "丙"], "answer": "A"},
    {"type": "true_false", "prompt": "第二题：送分题。", "answer": "正确"},
    {"type": "single_choice", "prompt": "第三题：反着来。", "options": ["甲", "乙"], "answer": "A"},
    {"type": "multiple_choice", "prompt": "第四题：多选。", "options": ["甲", "乙", "丙", "丁"],
     "answer": "AB", "points": 2},
    {"type": "single_choice", "prompt": "第五题：好题。", "options": ["甲", "乙"], "answer": "A"},
]
# Marks each trainee earns, q1..q5, and the answers that earn them.
MARKS = [[1, 1, 1, 2, 1], [1, 1, 0, 1, 1], [0, 1, 1, 0, 1],
         [0, 1, 1, 1, 0], [0, 1, 1, 0, 1], [0, 1, 1, 0, 0]]
ANSWERS = {1: ["0"], 0: ["1"]}
MULTIPLE = {2: ["0", "1"], 1: ["0"], 0: ["2"]}


@pytest.fixture
def analysed(app, db, make_user, make_course, grant, monkeypatch):
    """The course above, answered once by each of six trainees; flags from six responses."""
    monkeypatch.setitem(app.config, "LMS_ITEM_ANALYSIS_MIN_RESPONSES", len(MARKS))
    made = make_course([{"slug": "quiz", "questions": QUESTIONS,
                         "quiz": {"multiple_choice_scoring": "half"}}])
    registry = app.extensions["lms"].question_types
    _, module = catalog.get_course_and_module(db, made.slug, "quiz")
    for number, (q1, _q2, q3, q4, q5) in enumerate(MARKS):
        trainee = db.get(User, make_user("trainee", name=f"学员{number}")[0].id)
        attempt = quizzes.start_or_resume(db, registry, trainee, module)
        quizzes.submit_attempt(db, registry, trainee, attempt.id, {
            "q1": ANSWERS[q1], "q2": ["true"], "q3": ANSWERS[q3], "q4": MULTIPLE[q4],
            "q5": ANSWERS[q5]})
    made.page = f"/author{made.url}/modules/quiz/quiz"
    return made


class _Cards(HTMLParser):
    def __init__(self):
        super().__init__()
        self.cards: list[list[str]] = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "li" and self._depth:
            self._depth += 1
        elif tag == "li" and "card" in (dict(attrs).get("class") or "").split():
            self._depth = 1
            self.cards.append([])

    def handle_endtag(self, tag):
        if tag == "li" and self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.cards[-1].append(data)


def cards(html: str) -> list[str]:
    """Each question card's text (with what screen readers alone get), in page order."""
    parser = _Cards()
    parser.feed(html)
    return [" ".join(" ".join(parts).split()) for parts in parser.cards]


def number(card: str) -> str:
    """The question's number in the quiz, as the card shows it (``3.``)."""
    return re.search(r"(?:^| )(\d+)\. ", card).group(1)


def as_author(client, login_as, grant, course) -> str:
    grant(login_as("trainer"), course=course.slug)
    response = client.get(course.page)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_questions_to_look_at_come_first_labelled_and_keep_their_numbers(
        client, login_as, grant, analysed):
    html = as_author(client, login_as, grant, analysed)
    shown = cards(html)
    # q2: everyone right (facility 1 > 0.95); q3: the weaker trainees got it right
    # (discrimination -0.43); q1, q4 and q5 need nothing.
    assert [number(card) for card in shown] == ["2", "3", "1", "4", "5"]
    assert shown[0].startswith("需复查 过易 2.")
    assert shown[1].startswith("需复查 区分度低 3.")
    assert all("需复查" not in card for card in shown[2:])
    assert "需复查的 2 道题排在最前面，其余按测验顺序排列。" in html


def test_the_page_says_what_the_figures_mean_and_which_deserve_a_look(
        client, login_as, grant, analysed):
    html = as_author(client, login_as, grant, analysed)
    assert ("难度系数：学员在这道题上的平均得分率，0 到 1，越高越容易。"
            "低于 0.2（过难）或高于 0.95（过易）的题值得看一看。") in html
    assert ("区分度：总分高的学员在这道题上是否也答得更好，−1 到 1。低于 0.2 的题值得看一看；"
            "负数说明成绩好的学员反而更常答错，请检查答案和题意。") in html
    first = cards(html)[2]  # q1: 2 of 6 right
    assert "难度系数 0.33" in first and "区分度 0.66" in first
    assert html.count('class="figure-bar') == 2 * len(QUESTIONS) - 1  # q2 has no discrimination


def test_each_distribution_marks_the_key_in_words(client, login_as, grant, analysed):
    shown = cards(as_author(client, login_as, grant, analysed))
    by_number = {number(card): card for card in shown}
    assert "选项分布 选项 占比 作答次数 A ✓ 正确答案 2 B 4 C 0" in by_number["1"]
    assert "正确 ✓ 正确答案 6 错误 0" in by_number["2"]
    assert "A ✓ 正确答案 3 B ✓ 正确答案 1 C 3 D 0" in by_number["4"]
    assert all(card.count("✓") == 1 for number, card in by_number.items() if number != "4")


def test_a_trainer_who_only_teaches_sees_no_key_marked(client, login_as, analysed):
    login_as("trainer")
    html = client.get(analysed.page).get_data(as_text=True)
    assert "选项分布" in html and "✓" not in html and "正确答案" not in html


def test_internal_consistency_is_alpha_on_the_marks_earned(client, login_as, grant, analysed):
    # Marks (q4 out of 2), item variances over six trainees (divide by 6):
    #   q1 1,1,0,0,0,0  mean 1/3  -> 2/9     q2 all 1 -> 0
    #   q3 1,0,1,1,1,1  mean 5/6  -> 5/36    q4 2,1,0,1,0,0  mean 2/3 -> (16+1+4+1+4+4)/9/6 = 5/9
    #   q5 1,1,1,0,1,0  mean 2/3  -> 2/9     sum = (8+5+20+8)/36 = 41/36
    # Totals 6,4,3,3,3,2: mean 3.5, squares 6.25+.25+.25+.25+.25+2.25 = 9.5 -> 9.5/6
    # alpha = 5/4 * (1 - (41/36) / (9.5/6)) = 5/4 * 96/342 = 0.3509
    # (KR-20 with q4's half marks read as 0 would say 0.46.)
    html = as_author(client, login_as, grant, analysed)
    assert "内部一致性系数（Cronbach’s α）0.35" in html
    assert "KR-20" not in html
    csv = client.get(analysed.page + "/analysis.csv").data.decode("utf-8-sig")
    assert csv.splitlines()[-1] == "内部一致性系数 Cronbach's α（首次作答）,,6,0.35,,,"
