"""A branch secretary studies the seed course end to end over HTTP."""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import select

from lms.models import Enrollment, ModuleProgress, QuizAttempt
from lms.services import catalog
from tests.conftest import start_quiz, submit_quiz
from tests.learn.test_completion_rules import study
from tests.seed import correct_form, module_files, module_slug, quiz_items, wrong_form

COURSE = "/courses/jiceng-dangjian"


def submit(client, slug: str, data: dict, action: str | None = None):
    """Open the quiz (starting or resuming an attempt) and submit ``data`` to it."""
    return submit_quiz(client, f"{COURSE}/modules/{slug}/quiz", data, action=action)


def test_trainee_completes_the_seed_course(client, login_as, db):
    user = login_as()
    home = client.get("/").get_data(as_text=True)
    assert "基层党建工作创新与队伍建设" in home
    assert "我的学习" in home

    course_page = client.get(COURSE).get_data(as_text=True)
    assert "开始学习" in course_page

    for number, path in enumerate(module_files()):
        slug = module_slug(path)
        page = client.get(f"{COURSE}/modules/{slug}")
        assert page.status_code == 200
        result = submit(client, slug, correct_form(path))
        assert result.status_code == 303, result.get_data(as_text=True)[:500]
        shown = client.get(result.location).get_data(as_text=True)
        assert "及格" in shown and "不及格" not in shown
        if number == 0:
            assert "继续学习" in client.get(COURSE).get_data(as_text=True)

    course_page = client.get(COURSE).get_data(as_text=True)
    # every module done, but the course asks for 1 学时 of active study (rules.min_hours)
    assert "课程已完成" not in course_page and "（目前 0 学时）" in course_page
    assert "再获得 1 学时即可完成本课程" in course_page
    course = catalog.get_course(db, "jiceng-dangjian")
    for module in course.modules[:4]:
        study(db, user, module, 15)  # 15 min each: a 5-minute module's cap at 3×
    course_page = client.get(COURSE).get_data(as_text=True)
    assert "课程已完成" in course_page
    assert 'aria-valuenow="100"' in course_page
    enrollment = db.scalar(select(Enrollment).where(Enrollment.user_id == user.id))
    assert enrollment.completed_at is not None
    assert "已完成" in client.get("/").get_data(as_text=True)


def test_failed_quiz_can_be_retried_and_keeps_best_score(client, login_as, db):
    user = login_as()
    path = module_files()[1]
    slug = module_slug(path)
    failed = client.get(submit(client, slug, wrong_form(path)).location)
    text = failed.get_data(as_text=True)
    assert "不及格" in text and "重新作答" in text
    progress = db.scalar(select(ModuleProgress).where(ModuleProgress.user_id == user.id))
    assert progress.status.value == "in_progress" and progress.best_score == 0

    passed = submit(client, slug, correct_form(path))
    assert "及格" in client.get(passed.location).get_data(as_text=True)
    db.expire_all()
    progress = db.scalar(select(ModuleProgress).where(ModuleProgress.user_id == user.id))
    assert progress.status.value == "completed" and progress.best_score == 100
    numbers = db.scalars(select(QuizAttempt.number).where(QuizAttempt.user_id == user.id)
                         .order_by(QuizAttempt.number)).all()
    assert numbers == [1, 2]


def test_unanswered_questions_get_400_naming_them_and_nothing_is_recorded(client, login_as, db,
                                                                         make_course):
    question = {"type": "single_choice", "prompt": "选哪个？", "options": ["甲", "乙"],
                "answer": "B"}
    blank = {"type": "fill_blank", "prompt": "“一课”指____。", "answer": "党课"}
    quiz = make_course([{"questions": [question, blank, question, question, blank]}]).modules[0]
    user = login_as()
    answers = {"q1": ["1"], "q3": ["0"], "q5": ["党课"]}
    response = submit_quiz(client, quiz.quiz_url, answers)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "2、4" in text and 'href="#question-2"' in text and 'href="#question-4"' in text
    assert 'href="#question-1"' not in text and 'href="#question-5"' not in text
    assert 'value="党课"' in text
    attempts = db.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user.id)).all()
    assert [a.status.value for a in attempts] == ["in_progress"]  # started, nothing graded
    assert attempts[0].answers is None and attempts[0].submitted_at is None
    # The answers already given are still selected.
    first = answers["q1"][0]
    assert f'name="q1" value="{first}" checked' in text


def test_resubmitting_the_same_attempt_returns_the_first_result(client, login_as, db):
    user = login_as()
    path = module_files()[2]
    slug = module_slug(path)
    action = start_quiz(client, f"{COURSE}/modules/{slug}/quiz")
    first = submit(client, slug, wrong_form(path), action=action)
    second = submit(client, slug, correct_form(path), action=action)
    assert first.status_code == second.status_code == 303
    assert first.location == second.location
    attempts = db.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user.id)).all()
    assert len(attempts) == 1 and attempts[0].passed is False


OPTION = re.compile(r'<label class="option[^"]*">.*?</label>', re.DOTALL)
DATA_ATTRIBUTE = re.compile(r"""\sdata-[\w-]+=("[^"]*"|'[^']*')""")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>(.*?)</script>", re.DOTALL)


def hidden_data(html: str) -> str:
    """Data attributes and inline scripts, entities and JSON ``\\uXXXX`` escapes decoded."""
    raw = " ".join(DATA_ATTRIBUTE.findall(html) + INLINE_SCRIPT.findall(html))
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), unescape(raw))


def question_html(html: str, number: int) -> str:
    match = re.search(rf'<fieldset[^>]*\sid="question-{number}"[^>]*>(.*?)</fieldset>', html,
                      re.DOTALL)
    assert match, f"question {number} is not on the page"
    return match.group(1)


def options_without_their_own_text(fragment: str) -> list[str]:
    """Each option's markup with its value and visible text blanked out.

    Whatever is left is what could tell a right option from a wrong one: a class, a data
    attribute, a ``checked``. On an untouched quiz it must be the same for every option.
    """
    return [re.sub(r"<span[^>]*>[^<]*</span>", "<span></span>",
                   re.sub(r'\svalue="[^"]*"', "", label))
            for label in OPTION.findall(fragment)]


def accepted_answers(item: dict) -> list[str]:
    blanks = item["answer"] if isinstance(item["answer"], list) else [item["answer"]]
    return [str(accepted).strip() for blank in blanks
            for accepted in (blank if isinstance(blank, list) else str(blank).split("|"))]


def correct_options(item: dict) -> list[str]:
    return [item["options"][ord(letter) - ord("A")]
            for letter in re.sub(r"[^A-Z]", "", item["answer"].upper())]


def test_quiz_page_never_contains_answers_or_explanations(client, login_as):
    login_as()
    checked_blanks = 0
    for path in module_files():
        html = client.get(f"{COURSE}/modules/{module_slug(path)}/quiz").get_data(as_text=True)
        items = quiz_items(path)
        # Texts the page shows anyway: an accepted answer written there gives nothing away.
        public = " ".join([i["prompt"] for i in items]
                          + [option for i in items for option in i.get("options", [])])
        data = hidden_data(html)
        for number, item in enumerate(items, start=1):
            assert item["explanation"] not in html + data, (path.name, number)
            if item["type"] == "fill_blank":
                for accepted in accepted_answers(item):
                    if accepted not in public:
                        assert accepted not in html + data, (path.name, number, accepted)
                        checked_blanks += 1
                assert 'value=""' in question_html(html, number)
            else:  # choices and true/false: nothing marks the right option(s)
                shown = options_without_their_own_text(question_html(html, number))
                expected = len(item["options"]) if "options" in item else 2
                assert len(shown) == expected, (path.name, number)
                assert len(set(shown)) == 1, (path.name, number, shown)
                for option in correct_options(item) if "options" in item else []:
                    assert option not in data, (path.name, number, option)
    assert checked_blanks >= 10  # the seed course has that many blanks to give away


def test_quiz_page_is_the_same_whatever_the_answer_key(client, login_as, make_course):
    """Two courses alike but for their keys and explanations give the very same quiz page."""

    def questions(key: dict[str, str]) -> list[dict]:
        return [
            {"type": "single_choice", "prompt": "支部党员大会一般多久召开一次？",
             "options": ["每季度", "每月", "每年"], "answer": key["single"],
             "explanation": f"说明标记{key['single']}"},
            {"type": "multiple_choice", "prompt": "“三会”包括哪些？",
             "options": ["支部党员大会", "支部委员会", "党小组会"], "answer": key["multiple"],
             "explanation": f"说明标记{key['multiple']}"},
            {"type": "true_false", "prompt": "党课每季度至少一次。", "answer": key["judge"]},
            {"type": "fill_blank", "prompt": "“一课”指____。", "answer": key["blank"]},
            {"type": "short_answer", "prompt": "谈谈学习体会。", "answer": key["blank"]},
        ]

    login_as()
    pages = []
    for key in ({"single": "A", "multiple": "AB", "judge": "正确", "blank": "党课甲乙"},
                {"single": "C", "multiple": "BC", "judge": "错误", "blank": "团课丙丁"}):
        course = make_course([{"slug": "quiz", "questions": questions(key)}], title="同一门课")
        html = client.get(course.modules[0].quiz_url).get_data(as_text=True)
        assert "党课甲乙" not in html and "团课丙丁" not in html and "说明标记" not in html
        html = html.replace(course.slug, "SLUG")
        html = re.sub(r"/attempts/\d+/", "/attempts/N/", html)
        html = re.sub(r'data-attempt="\d+"', 'data-attempt="N"', html)
        html = re.sub(r'(csrf-token" content|name="csrf_token" type="hidden" value)="[^"]+"',
                      r'\1="TOKEN"', html)
        pages.append(html)
    assert pages[0].count('type="radio"') == 3 + 2
    assert pages[0] == pages[1]


def test_unknown_course_and_module_give_a_chinese_404(client, login_as):
    login_as()
    for url in ("/courses/no-such-course", f"{COURSE}/modules/no-such-module",
                f"{COURSE}/modules/no-such-module/quiz"):
        response = client.get(url)
        assert response.status_code == 404
        assert "页面不存在" in response.get_data(as_text=True)


def test_someone_elses_attempt_is_not_found(client, app, login_as, make_user):
    path = module_files()[0]
    slug = module_slug(path)
    login_as()
    location = submit(client, slug, correct_form(path)).location
    other_client = app.test_client()
    other, password = make_user()
    from tests.conftest import sign_in

    sign_in(other_client, other.username, password)
    assert other_client.get(location).status_code == 404


def test_pages_require_sign_in(client):
    for url in ("/", COURSE, f"{COURSE}/modules/overview", f"{COURSE}/modules/overview/quiz"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.location


def test_unknown_url_outside_lms_routes_gets_the_chinese_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


def test_partial_credit_is_explained_in_the_trainees_language(client, login_as):
    login_as()
    result = submit_quiz(client, "/courses/assess/modules/scoring/quiz", {"q1": ["0", "1"]})
    page = client.get(result.location).get_data(as_text=True)
    assert "少选：还有正确选项没有选。" in page
    assert "2/4" in page and '<span class="score-value">50</span>' in page
