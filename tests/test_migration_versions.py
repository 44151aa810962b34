"""Migration 0005 turns a database written before versions into version 1, losing nothing."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import select

from lms import create_app
from lms.content.loader import read_course
from lms.db import make_engine
from lms.migrate import upgrade
from lms.models import Course, CourseVersion, ModuleProgress, Question, QuizAttempt
from lms.plugins import load_question_types
from lms.services import catalog, quiz_stats
from lms.services.course_views import module_of
from lms.unit_of_work import unit_of_work
from tests.conftest import TEST_COURSES

REGISTRY = load_question_types()
RIGHT = {"q1": ["1"], "q2": ["0", "2"], "q3": ["false"], "q4": ["四个坚持"]}
NOW = datetime(2026, 11, 1, tzinfo=UTC)


def table(name: str, *columns: str, json: tuple[str, ...] = ()) -> sa.TableClause:
    return sa.table(name, sa.column("id", sa.Integer),
                    *(sa.column(c) for c in columns), *(sa.column(c, sa.JSON) for c in json))


def insert(connection, target: sa.TableClause, **values) -> int:
    return connection.execute(target.insert().values(**values).returning(target.c.id)).scalar_one()


def write_as_release_0002(connection, folder) -> dict[str, int]:
    """The rows the loader before versions wrote for the demo course, with two attempts: one
    asked the current questions, one a question a later reload deleted and re-inserted."""
    course_file = read_course(folder, REGISTRY)
    user = insert(connection, table("lms_users", "username", "display_name", "role", "active",
                                    "created_at"),
                  username="old", display_name="老学员", role="trainee", active=True,
                  created_at=NOW)
    course = insert(connection, table("lms_courses", "slug", "title", "description",
                                      "audience", "pass_mark", "published", "content_hash",
                                      "created_at", "updated_at"),
                    slug="demo", title=course_file.title, description=course_file.description,
                    audience="", pass_mark=course_file.pass_mark, published=True,
                    content_hash=course_file.content_hash, created_at=NOW, updated_at=NOW)
    ids: dict[str, int] = {"user": user, "course": course}
    specs = []
    for position, m in enumerate(course_file.modules, start=1):
        ids[m.slug] = insert(connection, table(
            "lms_modules", "course_id", "position", "slug", "title", "source", "html",
            "minutes", "required", "pass_mark", json=("quiz_settings",)),
            course_id=course, position=position, slug=m.slug, title=m.title, source=m.source,
            html=m.html, minutes=m.minutes, required=m.required, pass_mark=m.pass_mark,
            quiz_settings=m.quiz.to_json())
        for number, q in enumerate(m.questions, start=1):
            spec = {"type": q.type, "prompt": q.spec["prompt"], "options": q.spec["options"],
                    "answer": q.spec["answer"], "explanation": q.spec["explanation"],
                    "points": q.spec["points"]}
            spec["question_id"] = insert(connection, table(
                "lms_questions", "module_id", "position", "type", "prompt", "explanation",
                "points", "origin", json=("options", "answer_key")),
                module_id=ids[m.slug], position=number, type=q.type, prompt=spec["prompt"],
                options=spec["options"], answer_key=spec["answer"],
                explanation=spec["explanation"], points=spec["points"], origin="file")
            specs.append(spec)
    attempts = table("lms_quiz_attempts", "user_id", "module_id", "number", "status",
                     "earned", "possible", "score", "pass_mark", "passed", "late",
                     "started_at", "submitted_at",
                     json=("questions", "settings", "draft", "answers", "results"))
    answers = [REGISTRY[s["type"]].parse_response(RIGHT[f"q{n}"])
               for n, s in enumerate(specs, start=1)]
    deleted_since = [{**specs[0], "question_id": 99_999}, *specs[1:]]
    for number, snapshot in enumerate([specs, deleted_since], start=1):
        ids[f"attempt{number}"] = insert(
            connection, attempts, user_id=user, module_id=ids["intro"], number=number,
            status="graded", questions=snapshot, settings={}, draft={}, answers=answers,
            results=[{"earned": 1, "possible": 1, "correct": True, "pending": False}] * 4,
            earned=4, possible=4, score=100, pass_mark=80, passed=True, late=False,
            started_at=NOW, submitted_at=NOW)
    progress = table("lms_module_progress", "user_id", "module_id", "status", "seconds_active",
                     "best_score", "completed_at")
    for slug in ("intro", "second"):
        ids[f"progress-{slug}"] = insert(connection, progress, user_id=user,
                                         module_id=ids[slug], status="completed",
                                         seconds_active=60, best_score=100, completed_at=NOW)
    ids["questions"] = [s["question_id"] for s in specs]
    return ids


def test_upgrade_makes_version_one_and_keeps_attempts_progress_and_question_ids(
        empty_database, tmp_path):
    folder = tmp_path / "demo"
    shutil.copytree(TEST_COURSES / "demo", folder)
    engine = make_engine(empty_database)  # the app's engine: SQLite enforces foreign keys
    upgrade(engine, "0002")
    with engine.begin() as connection:
        ids = write_as_release_0002(connection, folder)
    upgrade(engine)
    engine.dispose()

    app = create_app({"LMS_DATABASE_URL": empty_database, "SECRET_KEY": "t", "TESTING": True})
    state = app.extensions["lms"]
    try:
        db = state.sessionmaker()
        course = db.scalar(select(Course).where(Course.slug == "demo"))
        version = db.get(CourseVersion, course.version_id)
        assert version.number == 1
        assert [m.revision.module.slug for m in version.modules] == ["intro", "second"]
        questions = db.scalars(select(Question).order_by(Question.position)).all()
        assert [q.id for q in questions] == ids["questions"]
        derived = [q.derived_key for q in read_course(folder, REGISTRY).modules[0].questions]
        assert [q.key for q in questions] == derived
        attempts = db.scalars(select(QuizAttempt).order_by(QuizAttempt.number)).all()
        assert [(a.id, a.course_version_id, a.score) for a in attempts] == [
            (ids["attempt1"], version.id, 100), (ids["attempt2"], version.id, 100)]
        assert [s["question_id"] for s in attempts[1].questions] == ids["questions"]
        assert {s["revision"] for a in attempts for s in a.questions} == {1}
        assert [(p.id, p.status.value, p.completed_version_id) for p in db.scalars(
            select(ModuleProgress).order_by(ModuleProgress.id))] == [
            (ids["progress-intro"], "completed", version.id),
            (ids["progress-second"], "completed", version.id)]
        intro = module_of(course, "intro")
        analysis = quiz_stats.module_analysis(db, state.question_types, intro, 1)
        assert [i.attempts for i in analysis.items] == [2, 2, 2, 2]

        with unit_of_work(db):  # the same files: the migrated version is the current one
            assert catalog.upsert_course(db, read_course(folder, REGISTRY)).changed is False
        (folder / "b.md").write_text("---\nslug: second\ntitle: 第二节\nminutes: 3\n---\n"
                                     "改过的正文。\n", "utf-8")
        with unit_of_work(db):
            result = catalog.upsert_course(db, read_course(folder, REGISTRY))
        assert (result.version, result.changes.modules_changed) == (2, ("second",))
        assert not result.changes.questions_added and not result.changes.questions_removed
        db.close()
    finally:
        state.engine.dispose()
