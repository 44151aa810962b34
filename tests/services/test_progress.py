"""Progress rules: what completes a module and a course, and what reloading content keeps."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from lms.content.loader import read_course
from lms.models import Course, Enrollment, ModuleProgress, QuizAttempt
from lms.services import catalog, progress, quizzes
from lms.services.course_views import module_of
from lms.services.errors import Unanswered
from lms.unit_of_work import unit_of_work
from tests.conftest import TEST_COURSES


def course(db, slug="demo") -> Course:
    return catalog.get_course(db, slug)


def test_a_module_without_quiz_completes_on_visit_and_one_with_a_quiz_does_not(db, make_user):
    user, _ = make_user()
    demo = course(db)
    with_quiz, reading_only = demo.modules
    with unit_of_work(db):
        first = progress.record_visit(db, user, with_quiz)
        second = progress.record_visit(db, user, reading_only)
    assert first.status.value == "in_progress" and first.first_seen_at is not None
    assert second.status.value == "completed"
    outline = progress.course_outline(db, user, demo)
    assert outline.percent == 50 and outline.next_module.slug == "intro"
    assert not outline.completed


def test_course_completes_when_all_required_modules_are_done(app, db, make_user):
    user, _ = make_user()
    demo = course(db)
    intro = demo.modules[0]
    registry = app.extensions["lms"].question_types
    answers = {"q1": ["1"], "q2": ["0", "2"], "q3": ["false"], "q4": ["四个坚持"]}
    with unit_of_work(db):
        progress.record_visit(db, user, demo.modules[1])
    with unit_of_work(db):
        started = quizzes.start_or_resume(db, registry, user, intro)
    with unit_of_work(db):
        attempt, graded = quizzes.submit_attempt(db, registry, user, started.id, answers)
    assert graded and attempt.passed and attempt.score == 100
    enrollment = db.scalar(select(Enrollment).where(Enrollment.user_id == user.id))
    assert enrollment.completed_at is not None
    assert progress.course_outline(db, user, demo).completed


def test_unanswered_submission_writes_nothing(app, db, make_user):
    user, _ = make_user()
    intro = course(db).modules[0]
    registry = app.extensions["lms"].question_types
    with unit_of_work(db):
        started = quizzes.start_or_resume(db, registry, user, intro)
    with pytest.raises(Unanswered) as caught, unit_of_work(db):
        quizzes.submit_attempt(db, registry, user, started.id, {"q1": ["1"], "q3": ["true"]})
    assert caught.value.numbers == [2, 4]
    db.expire_all()
    attempt = db.get(QuizAttempt, started.id)
    assert attempt.status.value == "in_progress" and attempt.answers is None
    assert db.scalar(select(ModuleProgress.best_score)
                     .where(ModuleProgress.user_id == user.id)) is None


def test_reloading_changed_content_keeps_study_records(app, db, make_user, tmp_path):
    user, _ = make_user()
    demo = course(db)
    with unit_of_work(db):
        progress.record_visit(db, user, demo.modules[1])
    folder = tmp_path / "demo"
    shutil.copytree(TEST_COURSES / "demo", folder)
    text = (folder / "b.md").read_text("utf-8").replace("无测验。", "无测验，内容已更新。")
    (folder / "b.md").write_text(text, "utf-8")
    registry = app.extensions["lms"].question_types
    with unit_of_work(db):
        result = catalog.upsert_course(db, read_course(folder, registry))
    assert result.changed and not result.created
    db.expire_all()
    module = module_of(course(db), "second")
    assert "内容已更新" in module.html
    assert db.scalar(select(ModuleProgress).where(ModuleProgress.module_id == module.id,
                                                  ModuleProgress.user_id == user.id))
