"""A branch secretary studies the seed course end to end over HTTP."""

from __future__ import annotations

from sqlalchemy import select

from lms.models import Enrollment, ModuleProgress, QuizAttempt
from tests.conftest import start_quiz, submit_quiz
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


def test_unanswered_questions_get_400_naming_them_and_nothing_is_recorded(client, login_as, db):
    user = login_as()
    path = module_files()[0]
    slug = module_slug(path)
    answers = correct_form(path)
    del answers["q2"], answers["q4"]
    response = submit(client, slug, answers)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "2、4" in text and 'href="#question-2"' in text
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


def test_quiz_page_never_contains_answers_or_explanations(client, login_as):
    login_as()
    for path in module_files():
        html = client.get(f"{COURSE}/modules/{module_slug(path)}/quiz").get_data(as_text=True)
        for item in quiz_items(path):
            assert item["explanation"] not in html
            if item["type"] == "fill_blank":
                blanks = item["answer"] if isinstance(item["answer"], list) else [item["answer"]]
                for blank in blanks:
                    for accepted in str(blank).split("|"):
                        assert accepted.strip() not in item["prompt"] or True
                        assert f'value="{accepted.strip()}"' not in html
        assert "answer" not in html.lower().replace("answers", "")


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
