"""Teaching pages show what the person's grants cover: a trainer their own 支部, an author
their course, and nothing else."""

from __future__ import annotations

import pytest

from lms.models import QuizAttempt, User
from lms.services import catalog, quizzes
from tests.conftest import post_form, sign_in

UNIT_A = "范围党委/第一党总支/第一党支部"
UNIT_B = "范围党委/第一党总支/第二党支部"
QUIZ = [
    {"slug": "essay", "questions": [
        {"type": "short_answer", "prompt": "谈谈体会。", "answer": "言之有物。"}]},
    {"slug": "choice", "questions": [
        {"type": "single_choice", "prompt": "选甲。", "options": ["甲", "乙"], "answer": "A"}]},
]


@pytest.fixture
def course(app, db, make_user, make_course):
    """A course answered by 王 of UNIT_A and 李 of UNIT_B: one essay waiting each, one graded
    choice each."""
    made = make_course(QUIZ)
    registry = app.extensions["lms"].question_types
    waiting = {}
    for unit, name in ((UNIT_A, "王同志"), (UNIT_B, "李同志")):
        trainee = db.get(User, make_user("trainee", unit=unit, name=name)[0].id)
        for module_slug, answer in (("essay", ["体会。"]), ("choice", ["0"])):
            _, module = catalog.get_course_and_module(db, made.slug, module_slug)
            attempt = quizzes.start_or_resume(db, registry, trainee, module)
            quizzes.submit_attempt(db, registry, trainee, attempt.id, {"q1": answer})
            if module_slug == "essay":
                waiting[name] = attempt.id
    made.waiting = waiting
    return made


def test_a_trainer_grades_only_their_own_branch(client, login_as, db, course):
    login_as("trainer", unit=UNIT_A)
    queue = client.get("/author/grading").get_data(as_text=True)
    assert "王同志" in queue and "李同志" not in queue
    assert "共1份答卷待批阅" in queue
    assert client.get(f"/author/grading/{course.waiting['王同志']}").status_code == 200
    theirs = f"/author/grading/{course.waiting['李同志']}"
    assert client.get(theirs).status_code == 403
    refused = post_form(client, theirs, {"score1": "1"}, token_from="/author/grading")
    assert refused.status_code == 403
    assert db.get(QuizAttempt, course.waiting["李同志"]).status.value == "pending_review"


def test_item_analysis_counts_the_attempts_the_grant_covers(app, client, login_as, make_user,
                                                            grant, course):
    page = f"/author{course.url}/modules/choice/quiz"
    login_as("trainer", unit=UNIT_A)
    html = client.get(page).get_data(as_text=True)
    assert "1 次已评分作答" in html
    assert "导入题目" not in html  # a trainer analyses; only authors edit
    csv = client.get(page + "/analysis.csv").data.decode("utf-8-sig").splitlines()
    assert csv[1].split(",")[2] == "1"

    author, password = make_user("trainee", unit=UNIT_B)
    grant(author, course=course.slug)
    other = app.test_client()
    sign_in(other, author.username, password)
    html = other.get(page).get_data(as_text=True)
    assert "2 次已评分作答" in html and "导入题目" in html
    csv = other.get(page + "/analysis.csv").data.decode("utf-8-sig").splitlines()
    assert csv[1].split(",")[2] == "2"


def test_a_course_author_sees_teaching_for_their_course_only(client, login_as, grant,
                                                             course, make_course):
    other = make_course(QUIZ)
    user = login_as("trainee", unit=UNIT_B)
    assert "教学管理" not in client.get("/").get_data(as_text=True)
    grant(user, course=course.slug)
    assert "教学管理" in client.get("/").get_data(as_text=True)
    index = client.get("/author/").get_data(as_text=True)
    assert course.title in index and other.title not in index
    assert f"/author{course.url}/questions.xlsx" in index
    queue = client.get("/author/grading").get_data(as_text=True)
    assert "王同志" in queue and "李同志" in queue


def test_a_trainer_is_not_offered_exports(client, login_as, course):
    login_as("trainer", unit=UNIT_A)
    index = client.get("/author/").get_data(as_text=True)
    assert course.title in index
    assert f"/author{course.url}/questions.xlsx" not in index
    assert "question-bank-template.xlsx" not in index


def test_nobody_grades_their_own_attempt(app, client, db, course):
    """A trainer who also studies the course finds their own essay neither in the queue nor
    gradable; a colleague of the same branch grades it."""
    from tests.conftest import csrf_token

    trainer, password = make_trainer(app, "自评讲师")
    registry = app.extensions["lms"].question_types
    _, essay = catalog.get_course_and_module(db, course.slug, "essay")
    me = db.get(User, trainer.id)
    own = quizzes.start_or_resume(db, registry, me, essay)
    quizzes.submit_attempt(db, registry, me, own.id, {"q1": ["体会。"]})
    sign_in(client, trainer.username, password)
    assert "共1份答卷待批阅" in client.get("/author/grading").get_data(as_text=True)  # 王's
    url = f"/author/grading/{own.id}"
    assert client.get(url).status_code == 403
    refused = client.post(url, data={"score1": "1", "csrf_token": csrf_token(client, "/")})
    assert refused.status_code == 403
    colleague, colleague_password = make_trainer(app, "同支部讲师")
    other = app.test_client()
    sign_in(other, colleague.username, colleague_password)
    assert "共2份答卷待批阅" in other.get("/author/grading").get_data(as_text=True)
    assert db.get(QuizAttempt, own.id).status.value == "pending_review"


def make_trainer(app, name):
    from lms.services import accounts

    with app.app_context():
        session = app.extensions["lms"].session()
        username = f"t{abs(hash(name)) % 10**6}"
        user = accounts.create_user(session, username=username, display_name=name,
                                    role="trainer", password="correct-horse-1", unit_path=UNIT_A)
    return user, "correct-horse-1"


def test_only_authors_see_the_answer_key_in_item_analysis(client, login_as, grant, course):
    """Trainers study the courses they teach: the key on the analysis page is for authors."""
    url = f"/author/courses/{course.slug}/modules/choice/quiz"
    trainer = login_as("trainer", unit=UNIT_A)
    page = client.get(url).get_data(as_text=True)
    assert client.get(url).status_code == 200 and "正确答案" not in page
    grant(trainer, course=course.slug)
    assert "正确答案：A" in client.get(url).get_data(as_text=True)
