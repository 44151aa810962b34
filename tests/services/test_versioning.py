"""Course versions: reloads publish only real changes, and questions keep their identity."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.content.loader import read_course
from lms.models import (
    Course,
    CourseVersion,
    Enrollment,
    ModuleProgress,
    ProgressStatus,
    Question,
    QuestionRevision,
    QuizAttempt,
)
from lms.services import catalog, progress, question_bank, quiz_stats, quizzes
from lms.services.course_views import module_of
from lms.services.errors import NotFound
from lms.unit_of_work import unit_of_work
from tests.conftest import TEST_COURSES

# The demo course's intro quiz, answered right: 选哪个？ B, 多选 AC, 对吗 错误, the blank.
RIGHT = {"q1": ["1"], "q2": ["0", "2"], "q3": ["false"], "q4": ["四个坚持"]}
WRONG_FIRST = {**RIGHT, "q1": ["0"]}


@pytest.fixture
def registry(app):
    return app.extensions["lms"].question_types


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the demo course under its own slug, for a trainer to edit."""
    target = tmp_path / "versioned"
    shutil.copytree(TEST_COURSES / "demo", target)
    edit(target, "course.yml", "slug: demo", "slug: versioned")
    return target


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def load(db, registry, folder: Path) -> catalog.UpsertResult:
    return catalog.upsert_course(db, read_course(folder, registry))


def module(db, slug: str):
    db.expire_all()
    return module_of(catalog.get_course(db, "versioned"), slug)


def take(db, registry, user, module_slug: str, answers: dict) -> QuizAttempt:
    with unit_of_work(db):
        started = quizzes.start_or_resume(db, registry, user, module(db, module_slug))
    with unit_of_work(db):
        attempt, _ = quizzes.submit_attempt(db, registry, user, started.id, answers)
    return attempt


def analysis(db, registry, module_slug: str, combine: bool = False):
    return quiz_stats.module_analysis(db, registry, module(db, module_slug), min_responses=1,
                                      combine=combine)


def rows(result) -> dict[str, tuple[str, int, float | None]]:
    return {i.question_key: (i.prompt, i.attempts, i.facility) for i in result.items}


def versions(db) -> list[int]:
    return list(db.scalars(select(CourseVersion.number)
                           .join(Course, Course.id == CourseVersion.course_id)
                           .where(Course.slug == "versioned").order_by(CourseVersion.number)))


def test_editing_one_module_keeps_every_other_question_and_its_statistics(
        db, registry, folder, make_user):
    first = load(db, registry, folder)
    assert (first.created, first.version) == (True, 1)
    before_ids = [q.id for q in module(db, "intro").questions]
    trainee, _ = make_user()
    earlier = take(db, registry, trainee, "intro", WRONG_FIRST)
    stats_before = rows(analysis(db, registry, "intro"))

    edit(folder, "b.md", "无测验。", "无测验。补充一段学习材料。")
    result = load(db, registry, folder)

    assert (result.changed, result.version) == (True, 2)
    assert result.changes.modules_changed == ("second",)
    assert not (result.changes.questions_added or result.changes.questions_revised
                or result.changes.questions_removed or result.changes.modules_added)
    assert [q.id for q in module(db, "intro").questions] == before_ids
    assert rows(analysis(db, registry, "intro")) == stats_before

    another, _ = make_user()
    later = take(db, registry, another, "intro", RIGHT)
    after = analysis(db, registry, "intro")
    assert [i.question_key for i in after.items] == [str(i) for i in before_ids]
    assert [i.attempts for i in after.items] == [2, 2, 2, 2]
    assert db.get(CourseVersion, earlier.course_version_id).number == 1
    assert db.get(CourseVersion, later.course_version_id).number == 2
    assert [spec["question_id"] for spec in later.questions] == before_ids


def test_reloading_unchanged_content_creates_no_version(db, registry, folder):
    load(db, registry, folder)
    assert load(db, registry, folder).changed is False
    edit(folder, "course.yml", "title: 演示课程", "# 只改了注释\ntitle: 演示课程")
    result = load(db, registry, folder)  # the file differs, the content does not
    assert (result.changed, result.version) == (False, None)
    assert versions(db) == [1]


def test_rewording_a_question_keeps_its_id_and_counts_the_current_revision(
        db, registry, folder, make_user):
    edit(folder, "a.md", "- type: single_choice\n", "- id: pick-one\n  type: single_choice\n")
    load(db, registry, folder)
    question_id = module(db, "intro").questions[0].id
    trainee, _ = make_user()
    take(db, registry, trainee, "intro", WRONG_FIRST)

    edit(folder, "a.md", "prompt: 选哪个？", "prompt: 下列哪一项正确？")
    result = load(db, registry, folder)
    assert result.changes.questions_revised == ("pick-one",)
    assert result.changes.modules_changed == ("intro",)
    reworded = module(db, "intro").questions[0]
    assert (reworded.id, reworded.key, reworded.revision) == (question_id, "pick-one", 2)
    assert db.scalars(select(QuestionRevision.prompt).where(
        QuestionRevision.question_id == question_id).order_by(QuestionRevision.number)
    ).all() == ["选哪个？", "下列哪一项正确？"]

    another, _ = make_user()
    take(db, registry, another, "intro", RIGHT)
    current = rows(analysis(db, registry, "intro"))[str(question_id)]
    combined = rows(analysis(db, registry, "intro", combine=True))[str(question_id)]
    assert current == ("下列哪一项正确？", 1, 1.0)     # only the answer to the new wording
    assert combined == ("下列哪一项正确？", 2, 0.5)    # one wrong before, one right after
    assert len(analysis(db, registry, "intro", combine=True).items) == 4


def test_questions_without_an_id_keep_it_when_moved_and_when_given_one(db, registry, folder):
    load(db, registry, folder)
    ids = {q.prompt: q.id for q in module(db, "intro").questions}
    block = (folder / "a.md").read_text("utf-8")
    single = block[block.index("- type: single_choice"):block.index("- type: multiple_choice")]
    edit(folder, "a.md", single, "")
    edit(folder, "a.md", "- type: fill_blank", single + "- id: blank\n  type: fill_blank")
    result = load(db, registry, folder)
    assert result.changes.modules_changed == ("intro",)
    assert not (result.changes.questions_added or result.changes.questions_removed)
    moved = module(db, "intro").questions
    assert [q.prompt for q in moved] == ["多选", "对吗", "选哪个？", "党建“____”原则"]
    assert {q.prompt: q.id for q in moved} == ids
    assert moved[-1].key == "blank"


def test_progress_and_a_passed_module_survive_a_changed_quiz(db, registry, folder, make_user):
    load(db, registry, folder)
    passed, _ = make_user()
    take(db, registry, passed, "intro", RIGHT)
    with unit_of_work(db):
        progress.record_visit(db, passed, module(db, "second"))
    studying, _ = make_user()
    take(db, registry, studying, "intro", WRONG_FIRST)
    version_one = db.scalar(select(Course.version_id).where(Course.slug == "versioned"))

    edit(folder, "a.md", "  answer: B\n", "  answer: C\n")  # the key changed: a new revision
    edit(folder, "a.md", "```quiz\n", "```quiz\n- type: true_false\n  prompt: 新增的题\n"
                                      "  answer: 正确\n")
    result = load(db, registry, folder)
    assert len(result.changes.questions_added) == 1 and len(result.changes.questions_revised) == 1

    intro = module(db, "intro")
    done = db.scalar(select(ModuleProgress).where(ModuleProgress.user_id == passed.id,
                                                  ModuleProgress.module_id == intro.id))
    assert (done.status, done.best_score, done.completed_version_id) == (
        ProgressStatus.COMPLETED, 100, version_one)
    course = catalog.get_course(db, "versioned")
    assert progress.course_outline(db, passed, course).completed
    assert db.scalar(select(Enrollment.completed_at).where(
        Enrollment.user_id == passed.id, Enrollment.course_id == course.id)) is not None
    outline = progress.course_outline(db, studying, course)
    assert [m.status for m in outline.modules] == [ProgressStatus.IN_PROGRESS,
                                                   ProgressStatus.NOT_STARTED]
    assert outline.modules[0].best_score == 75 and outline.modules[0].question_count == 5


def test_a_version_may_drop_a_studied_module_and_keeps_its_records(
        db, registry, folder, make_user):
    load(db, registry, folder)
    trainee, _ = make_user()
    with unit_of_work(db):
        progress.record_visit(db, trainee, module(db, "second"))
    second_id = module(db, "second").id

    edit(folder, "course.yml", "  - b.md\n", "")
    result = load(db, registry, folder)
    assert result.changes.modules_removed == ("second",)
    course = catalog.get_course(db, "versioned")
    assert [m.slug for m in course.modules] == ["intro"]
    with pytest.raises(NotFound):
        module_of(course, "second")
    assert db.scalar(select(ModuleProgress.status).where(
        ModuleProgress.user_id == trainee.id, ModuleProgress.module_id == second_id)
    ) is ProgressStatus.COMPLETED
    first = db.scalar(select(CourseVersion).where(CourseVersion.course_id == course.id,
                                                  CourseVersion.number == 1))
    assert [m.revision.module.slug for m in first.modules] == ["intro", "second"]
    newcomer, _ = make_user()  # the dropped module is no longer required of anyone
    take(db, registry, newcomer, "intro", RIGHT)
    assert progress.course_outline(db, newcomer, catalog.get_course(db, "versioned")).completed

    edit(folder, "course.yml", "  - a.md\n", "  - a.md\n  - b.md\n")
    back = load(db, registry, folder)  # brought back: the same module, progress and all
    assert back.changes.modules_added == ("second",) and back.version == 3
    assert module(db, "second").id == second_id


def test_imported_questions_survive_reloads_with_their_ids(db, registry, folder):
    load(db, registry, folder)
    parsed = question_bank.parse_bank("bank.gift", "::补充::组织生活会每年至少召开一次。{T}\n"
                                      .encode(), registry)
    with unit_of_work(db):
        question_bank.import_questions(db, registry, module(db, "intro"), parsed.questions)
    assert versions(db) == [1, 2]
    imported = module(db, "intro").questions[-1]
    assert (imported.origin, imported.key.startswith("intro/bank-")) == ("bank", True)

    edit(folder, "a.md", "- type: true_false\n  prompt: 对吗\n  answer: 错误\n", "")
    result = load(db, registry, folder)
    assert len(result.changes.questions_removed) == 1
    questions = module(db, "intro").questions
    assert [q.origin for q in questions] == ["file", "file", "file", "bank"]
    assert (questions[-1].id, questions[-1].position) == (imported.id, 4)
    assert db.scalar(select(func.count()).select_from(Question)
                     .where(Question.module_id == imported.module_id)) == 5


def test_a_version_that_drops_the_last_unfinished_module_completes_the_course(
        db, registry, folder, make_user):
    load(db, registry, folder)
    user, _ = make_user()
    progress.record_visit(db, user, module(db, "second"))  # read; the quiz module is not done
    course_id = catalog.get_course(db, "versioned").id
    enrollment = select(Enrollment.completed_at).where(Enrollment.user_id == user.id,
                                                       Enrollment.course_id == course_id)
    assert db.scalar(enrollment) is None
    edit(folder, "course.yml", "  - a.md\n", "")
    load(db, registry, folder)
    db.expire_all()
    assert db.scalar(enrollment) is not None


def test_a_failed_grade_in_a_dropped_module_does_not_complete_it(db, registry, folder,
                                                                  make_user):
    """The module has no current quiz once dropped, but the attempt graded was a quiz."""
    from lms.services import grading

    edit(folder, "a.md", "```quiz\n", "```quiz\n- type: short_answer\n  prompt: 谈体会\n"
                                      "  answer: 言之有物\n")
    load(db, registry, folder)
    user, _ = make_user()
    trainer, _ = make_user("admin", username="grader-admin", unit=None)
    shifted = {f"q{int(k[1:]) + 1}": v for k, v in WRONG_FIRST.items()}  # the essay is q1
    attempt = take(db, registry, user, "intro", {**shifted, "q1": ["体会"]})
    assert attempt.status.value == "pending_review"
    edit(folder, "course.yml", "  - a.md\n", "")
    load(db, registry, folder)
    grading.grade_manually(db, trainer, attempt.id, {1: grading.ManualGrade(0)})
    db.expire_all()
    state = db.scalar(select(ModuleProgress.status).where(
        ModuleProgress.user_id == user.id, ModuleProgress.module_id == attempt.module_id))
    assert state is ProgressStatus.IN_PROGRESS
