"""Quiz behaviour: snapshots, draws, shuffles, attempt limits, time limits, scoring modes."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from lms.db import utcnow
from lms.models import Question, QuizAttempt
from lms.services import catalog, grading, quizzes
from lms.services.course_views import module_of
from lms.services.errors import Unanswered
from lms.unit_of_work import unit_of_work


@pytest.fixture
def registry(app):
    return app.extensions["lms"].question_types


def module(db, slug):
    return module_of(catalog.get_course(db, "assess"), slug)


def start(db, registry, user, slug, **kwargs):
    with unit_of_work(db):
        return quizzes.start_or_resume(db, registry, user, module(db, slug), **kwargs)


def submit(db, registry, user, attempt, values, **kwargs):
    with unit_of_work(db):
        return quizzes.submit_attempt(db, registry, user, attempt.id, values, **kwargs)


def right_answers(attempt) -> dict[str, list[str]]:
    """Answers a trainee who knows the key would give, whatever the shown order."""
    values = {}
    for number, spec in enumerate(attempt.questions, start=1):
        values[f"q{number}"] = [str(spec["answer"])]
    return values


def test_a_past_grade_never_changes_when_the_question_is_edited(db, registry, make_user):
    user, _ = make_user()
    attempt = start(db, registry, user, "scoring")
    question_id = attempt.questions[0]["question_id"]
    with unit_of_work(db):  # the trainer "fixes" the key after the attempt began
        db.execute(update(Question).where(Question.id == question_id).values(answer_key=[3]))
    graded, _ = submit(db, registry, user, attempt, {"q1": ["0", "1", "2"]})
    assert graded.score == 100
    with unit_of_work(db):
        db.execute(update(Question).where(Question.id == question_id).values(prompt="改过的题干"))
    db.expire_all()
    again = db.get(QuizAttempt, attempt.id)
    assert again.score == 100 and again.questions[0]["prompt"] == "哪些属于“三会”？"


def test_draw_and_shuffle_are_fixed_for_the_attempt(db, registry, make_user):
    user, _ = make_user()
    attempt = start(db, registry, user, "timed", rng=random.Random(7))
    assert len(attempt.questions) == 2
    assert {q["prompt"] for q in attempt.questions} < {"甲题", "乙题", "丙题"}
    for spec in attempt.questions:  # the key follows the option that was right
        assert spec["options"][spec["answer"]] == "对的"
    resumed = start(db, registry, user, "timed")
    assert resumed.id == attempt.id and resumed.questions == attempt.questions


def test_shuffles_differ_between_attempts(db, registry, make_user):
    orders = set()
    for seed in range(6):
        user, _ = make_user()
        attempt = start(db, registry, user, "timed", rng=random.Random(seed))
        orders.add(tuple((q["prompt"], tuple(q["options"])) for q in attempt.questions))
    assert len(orders) > 1


def test_attempts_allowed_is_enforced(db, registry, make_user):
    user, _ = make_user()
    for _ in range(2):
        attempt = start(db, registry, user, "timed")
        submit(db, registry, user, attempt, right_answers(attempt))
    with pytest.raises(quizzes.NoAttemptsLeft), unit_of_work(db):
        quizzes.start_or_resume(db, registry, user, module(db, "timed"))


def test_late_submission_is_graded_on_what_was_saved_in_time(db, registry, make_user):
    user, _ = make_user()
    t0 = utcnow()
    attempt = start(db, registry, user, "timed", now=t0)
    assert attempt.deadline_at == t0 + timedelta(minutes=10)
    right = right_answers(attempt)
    with unit_of_work(db):  # only the first answer was saved before time ran out
        quizzes.save_draft(db, user, attempt.id, {"q1": right["q1"]}, now=t0 + timedelta(minutes=5))
    late = t0 + timedelta(minutes=11)
    with pytest.raises(quizzes.AttemptClosed), unit_of_work(db):
        quizzes.save_draft(db, user, attempt.id, right, now=late)
    graded, _ = submit(db, registry, user, attempt, right, now=late)
    assert graded.late and graded.score == 50 and graded.status.value == "graded"


def test_a_saved_draft_is_what_the_sessions_copy_of_the_attempt_then_says(db, registry,
                                                                          make_user):
    """The autosave writes past the ORM: a copy of the attempt loaded before reads the
    saved answers afterwards, not the ones it held."""
    user, _ = make_user()
    attempt = start(db, registry, user, "timed")
    assert attempt.draft == {}
    with unit_of_work(db):
        saved_at = quizzes.save_draft(db, user, attempt.id, {"q1": ["0"]})
    assert attempt.draft["q1"] == ["0"] and attempt.draft_saved_at == saved_at


def test_submission_within_the_grace_period_counts(db, registry, make_user):
    user, _ = make_user()
    t0 = utcnow()
    attempt = start(db, registry, user, "timed", now=t0)
    graded, _ = submit(db, registry, user, attempt, right_answers(attempt),
                       now=t0 + timedelta(minutes=10, seconds=20))
    assert not graded.late and graded.score == 100


def test_an_expired_open_attempt_is_closed_when_the_quiz_is_opened_again(db, registry,
                                                                         make_user):
    user, _ = make_user()
    t0 = utcnow()
    first = start(db, registry, user, "timed", now=t0)
    second = start(db, registry, user, "timed", now=t0 + timedelta(hours=1))
    assert second.id != first.id and second.number == 2
    db.expire_all()
    closed = db.get(QuizAttempt, first.id)
    assert closed.late and closed.score == 0


def test_an_expired_last_attempt_is_graded_and_kept(db, registry, make_user):
    """Opening the quiz after time ran out on the last allowed attempt shows its late grade,
    instead of leaving it open and ungraded forever."""
    user, _ = make_user()
    t0 = utcnow()
    start(db, registry, user, "timed", now=t0)
    second = start(db, registry, user, "timed", now=t0 + timedelta(hours=1))
    right = right_answers(second)
    with unit_of_work(db):
        quizzes.save_draft(db, user, second.id, right, now=t0 + timedelta(hours=1, minutes=1))
    closed = start(db, registry, user, "timed", now=t0 + timedelta(hours=2))
    assert closed.id == second.id
    db.expire_all()
    kept = db.get(QuizAttempt, second.id)
    assert kept.status.value == "graded" and kept.late and kept.score == 100
    with pytest.raises(quizzes.NoAttemptsLeft), unit_of_work(db):
        quizzes.start_or_resume(db, registry, user, module(db, "timed"),
                                now=t0 + timedelta(hours=3))


@pytest.mark.parametrize("mode,chosen,expected", [
    ("all_or_nothing", ["0", "1"], 0), ("per_option", ["0", "1"], 2 / 3 * 4),
    ("half", ["0", "1"], 2), ("half", ["0", "1", "2"], 4), ("per_option", ["0", "3"], 0),
    ("half", ["0", "1", "2", "3"], 0),
])
def test_multiple_choice_scoring_modes(db, registry, make_user, mode, chosen, expected):
    user, _ = make_user()
    target = module(db, "scoring")
    with unit_of_work(db):
        target.quiz_settings = {**target.quiz_settings, "multiple_choice_scoring": mode}
    attempt = start(db, registry, user, "scoring")
    graded, _ = submit(db, registry, user, attempt, {"q1": chosen})
    assert graded.earned == pytest.approx(expected, abs=0.01)


def test_short_answer_waits_for_a_trainer_then_completes_the_module(db, registry, make_user):
    user, _ = make_user()
    trainer, _ = make_user("trainer")
    attempt = start(db, registry, user, "written")
    ordering = attempt.questions[1]
    positions = [0] * len(ordering["answer"])
    for rank, option in enumerate(ordering["answer"], start=1):
        positions[option] = rank
    values = {"q1": ["0"], "q2": [str(p) for p in positions], "q3": ["书记是核心力量。"]}
    graded, _ = submit(db, registry, user, attempt, values)
    assert graded.status.value == "pending_review" and graded.passed is None
    queue, total = grading.grading_queue(db)
    assert total == 1 and queue[0].id == attempt.id
    with pytest.raises(Unanswered), unit_of_work(db):
        grading.grade_manually(db, trainer, attempt.id, {})
    with unit_of_work(db):
        done = grading.grade_manually(db, trainer, attempt.id,
                                      {3: grading.ManualGrade(0.5, "要点不全")})
    assert done.status.value == "graded" and done.score == pytest.approx(83.3)
    assert done.passed and done.results[2]["comment"] == "要点不全"
    assert grading.grading_queue(db)[1] == 0
    from lms.models import ModuleProgress

    status = db.scalar(select(ModuleProgress.status).where(ModuleProgress.user_id == user.id))
    assert status.value == "completed"


def test_unanswered_lists_every_blank_question(db, registry, make_user):
    user, _ = make_user()
    attempt = start(db, registry, user, "written")
    with pytest.raises(Unanswered) as caught, unit_of_work(db):
        quizzes.submit_attempt(db, registry, user, attempt.id, {"q2": ["1", "1", "2"]})
    assert caught.value.numbers == [1, 2, 3]  # a repeated position is no answer
