"""`flask lms demo-data`: a believable organisation whose people can sign in and study."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select

from lms import migrate
from lms.models import (
    Assignment,
    Course,
    Enrollment,
    HoursEntry,
    Module,
    ModuleProgress,
    OrgUnit,
    OrgUnitKind,
    ProgressStatus,
    QuizAttempt,
    UnitHoursStats,
    User,
)
from lms.services.hours_rules import per_class_hour
from tests.conftest import build_app, sign_in

COURSE = "jiceng-dangjian"
PASSWORD = re.compile(r"密码登录（只显示这一次）：(\S+)")


def demo_data(runner, *extra: str, trainees: int = 300, seed: int = 1):
    result = runner.invoke(args=["lms", "demo-data", "--trainees", str(trainees),
                                 "--seed", str(seed), "--course", COURSE, *extra])
    return result


@pytest.fixture
def demo(runner):
    """Run the command once; return the password it printed."""
    result = demo_data(runner)
    assert result.exit_code == 0, result.output
    return PASSWORD.search(result.output).group(1)


def demo_people(db) -> list[User]:
    return list(db.scalars(select(User).where(User.external_id.startswith("demo:"))
                           .order_by(User.id)))


def test_every_branch_holds_30_to_100_people_under_committees_and_general_branches(demo, db):
    people = demo_people(db)
    assert len(people) == 300
    units = {u.id: u for u in db.scalars(select(OrgUnit))}
    paths = Counter(units[p.org_unit_id].path for p in people)
    branches = [u for u in units.values() if u.kind is OrgUnitKind.BRANCH
                and any(path.startswith(u.path) for path in paths)]
    assert len(branches) >= 3
    for branch in branches:
        assert 30 <= sum(n for path, n in paths.items() if path.startswith(branch.path)) <= 100
    kinds = Counter(u.kind for u in units.values() if any(p.startswith(u.path) for p in paths))
    assert kinds[OrgUnitKind.COMMITTEE] >= 2 and kinds[OrgUnitKind.GENERAL_BRANCH] >= 1
    assert len({p.username for p in people}) == 300
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", p.display_name) for p in people)


def outcomes(session) -> list[tuple]:
    """Each demo person as the seed decides them: name, username, course done, quiz tries."""
    done = {e.user_id: e.completed_at is not None for e in session.scalars(select(Enrollment))}
    tries = Counter(session.scalars(select(QuizAttempt.user_id)))
    return [(p.display_name, p.username, done.get(p.id), tries[p.id])
            for p in demo_people(session)]


def test_the_same_seed_gives_the_same_people_and_progress_in_any_database(
        runner, db, empty_database, tmp_path):
    assert demo_data(runner, trainees=60).exit_code == 0
    here = outcomes(db)
    fresh = build_app(empty_database, tmp_path)
    try:
        migrate.upgrade(fresh.extensions["lms"].engine)
        result = demo_data(fresh.test_cli_runner(), trainees=60)  # loads the course itself
        assert result.exit_code == 0, result.output
        session = fresh.extensions["lms"].sessionmaker()
        there = outcomes(session)
        session.close()
    finally:
        fresh.extensions["lms"].engine.dispose()
    assert here == there and len(here) == 60
    assert any(done for _, _, done, _ in here) and any(tries for *_, tries in here)


def test_it_refuses_a_database_with_real_people_unless_forced(runner, make_user, db):
    make_user()
    result = demo_data(runner, trainees=40)
    assert result.exit_code != 0 and "数据库中有真实人员" in result.output
    assert demo_people(db) == []
    assert demo_data(runner, "--force", trainees=40).exit_code == 0
    assert len(demo_people(db)) == 40
    again = demo_data(runner, "--force", trainees=40)
    assert again.exit_code != 0 and "已有演示数据" in again.output


def test_enrollments_follow_the_assignments_with_a_realistic_spread(demo, db):
    people = {p.id: p for p in demo_people(db)}
    units = {u.id: u for u in db.scalars(select(OrgUnit))}
    course = db.scalar(select(Course).where(Course.slug == COURSE))
    assignments = list(db.scalars(select(Assignment).where(Assignment.course_id == course.id,
                                                          Assignment.removed_at.is_(None))))
    enrollments = list(db.scalars(select(Enrollment).where(Enrollment.course_id == course.id)))
    assert enrollments
    for enrollment in enrollments:
        person = people[enrollment.user_id]
        covering = [a for a in assignments if a.user_id == person.id or (
            a.org_unit_id is not None
            and units[person.org_unit_id].path.startswith(units[a.org_unit_id].path))]
        assert enrollment.assigned == bool(covering)
        dues = [a.due_on for a in covering if a.due_on is not None]
        assert enrollment.due_on == (min(dues) if dues else None)
    completed = sum(1 for e in enrollments if e.completed_at is not None)
    assert 0 < completed < len(enrollments)
    today = date.today()
    assert any(e.assigned and e.due_on and e.due_on < today and e.completed_at is None
               for e in enrollments), "some assigned people are overdue"
    started = {p.user_id for p in db.scalars(select(ModuleProgress))}
    assert any(e.user_id not in started for e in enrollments), "some never started"
    assert any(e.user_id in started and e.completed_at is None for e in enrollments)


def test_progress_and_attempts_are_what_studying_would_have_written(demo, db):
    course = db.scalar(select(Course).where(Course.slug == COURSE))
    modules = {m.id: m for m in course.modules}
    attempts = list(db.scalars(select(QuizAttempt).where(QuizAttempt.module_id.in_(modules))))
    passed = {(a.user_id, a.module_id) for a in attempts if a.passed}
    best: dict[tuple[int, int], float] = {}
    for a in attempts:
        assert len(a.questions) == len(a.answers) == len(a.results) > 0
        assert a.score == round(a.earned * 100 / a.possible, 1)
        assert a.passed == (a.score >= a.pass_mark) and a.course_version_id == course.version_id
        best[a.user_id, a.module_id] = max(best.get((a.user_id, a.module_id), 0), a.score)
    assert any(a.number == 2 and a.passed for a in attempts), "some pass at a second try"
    progress = list(db.scalars(select(ModuleProgress).where(
        ModuleProgress.module_id.in_(modules))))
    for row in progress:
        assert (row.status is ProgressStatus.COMPLETED) == ((row.user_id, row.module_id)
                                                            in passed)
        assert row.best_score == best.get((row.user_id, row.module_id))
    done = Counter(r.user_id for r in progress if r.status is ProgressStatus.COMPLETED)
    for enrollment in db.scalars(select(Enrollment).where(Enrollment.course_id == course.id)):
        assert (enrollment.completed_at is not None) == (done[enrollment.user_id]
                                                         == len(modules))


def test_study_hours_are_what_the_study_would_have_earned_and_counted(demo, db, client,
                                                                       runner):
    """Each person who studied has a 网络培训 entry for the course: their study seconds,
    whether a quiz was passed, credited by the site's rule (the default, per class hour). It
    is what `lms hours recompute` rebuilds from the demo's heartbeats and attempts, the
    admin's 学时 counters add up to the entries, and a trainee's home shows their year's."""
    course = db.scalar(select(Course).where(Course.slug == COURSE))
    modules = [m.id for m in course.modules]
    seconds = Counter()
    for row in db.scalars(select(ModuleProgress).where(ModuleProgress.module_id.in_(modules))):
        seconds[row.user_id] += row.seconds_active
    passed = set(db.scalars(select(QuizAttempt.user_id).where(
        QuizAttempt.module_id.in_(modules), QuizAttempt.passed.is_(True))))

    def entries() -> dict[tuple[int, int], tuple]:
        db.expire_all()
        return {(e.user_id, e.year): (e.kind, e.active_seconds, e.test_passed, e.quarter_hours)
                for e in db.scalars(select(HoursEntry).where(HoursEntry.course_id == course.id))}

    written = entries()
    assert {user_id for user_id, _year in written} == set(seconds)
    assert sum(e[1] for e in written.values()) == sum(seconds.values())
    for (user_id, _year), (kind, active, test_passed, quarters) in written.items():
        assert kind == "online" and quarters == per_class_hour(active, test_passed)
        assert not test_passed or user_id in passed
    assert {u for (u, _y), e in written.items() if e[2]} == passed
    assert sum(e[3] for e in written.values()) > 0
    assert sum(db.scalars(select(UnitHoursStats.quarter_hours))) == sum(
        e[3] for e in written.values())

    for year in sorted({year for _user, year in written}):
        result = runner.invoke(args=["lms", "hours", "recompute", "--year", str(year)])
        assert result.exit_code == 0, result.output
    assert entries() == written

    today = date.today().year
    keen = max(written, key=lambda key: (key[1] == today, written[key][3]))
    assert sign_in(client, db.get(User, keen[0]).username, demo).status_code == 302
    shown = re.search(r'class="hours-total"><strong>([\d.]+)</strong>',
                      client.get("/").get_data(as_text=True)).group(1)
    mine = sum(e[3] for (u, y), e in written.items() if u == keen[0] and y == today)
    assert float(shown) == mine / 4


def test_a_demo_trainee_sees_their_results_and_the_author_the_item_analysis(
        demo, app, client, db, make_user, grant):
    attempt = db.scalar(select(QuizAttempt).where(QuizAttempt.passed.is_(False))
                        .order_by(QuizAttempt.id).limit(1))
    person = db.get(User, attempt.user_id)
    module = db.get(Module, attempt.module_id)
    assert sign_in(client, person.username, demo).status_code == 302
    home = client.get("/")
    assert home.status_code == 200 and "基层党建工作创新与队伍建设" in home.get_data(as_text=True)
    assert client.get(f"/courses/{COURSE}").status_code == 200
    page = client.get(f"/courses/{COURSE}/modules/{module.slug}/attempts/{attempt.id}")
    assert page.status_code == 200
    assert f"{attempt.score:g}" in page.get_data(as_text=True)

    trainer, password = make_user("trainer")
    grant(trainer, course=COURSE)
    author = app.test_client()
    assert sign_in(author, trainer.username, password).status_code == 302
    analysis = author.get(f"/author/courses/{COURSE}/modules/{module.slug}/quiz")
    assert analysis.status_code == 200
    assert "基层党建" in analysis.get_data(as_text=True)
