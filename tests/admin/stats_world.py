"""A small hand-built organisation for the statistics tests, with every figure worked out.

统计党委
├── 第一党总支 (G1)          己六 (directly in G1: completed by an administrator's override)
│   ├── 第一党支部 (B1)      甲一 (completed, 100; assigned, due date past but done)
│   │                       =SUM(1,2) (opened the reading module only)
│   │                       丙三 (quiz 25)
│   └── 第二党支部 (B2)      戊五 (quiz 50, then deactivated)
└── 第二党总支 (G2)
    └── 第三党支部 (B3)      丁四 (completed with 100 in B2, then moved here)
                            庚七 (assigned, due 10 days ago, not started: overdue)
                            辛八 (assigned, due 5 days ago, quiz 75: overdue)

The demo course has two modules: 第一节 (a quiz of four questions, pass mark 80: only 100
passes) and 第二节 (reading only, complete once opened).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms.models import Course, Enrollment, User
from lms.services import catalog, overrides, people_admin, progress, quizzes, stats_rebuild
from lms.services.org import find_unit
from lms.unit_of_work import unit_of_work
from tests.conftest import post_form, sign_in

ROOT = "统计党委"
G1 = f"{ROOT}/第一党总支"
G2 = f"{ROOT}/第二党总支"
B1 = f"{G1}/第一党支部"
B2 = f"{G1}/第二党支部"
B3 = f"{G2}/第三党支部"
FORMULA_NAME = "=SUM(1,2)"
ANSWERS = {  # the demo quiz: each question is a quarter of the score
    100: {"q1": ["1"], "q2": ["0", "2"], "q3": ["false"], "q4": ["四个坚持"]},
    75: {"q1": ["1"], "q2": ["0", "2"], "q3": ["false"], "q4": ["不知道"]},
    50: {"q1": ["1"], "q2": ["0", "2"], "q3": ["true"], "q4": ["不知道"]},
    25: {"q1": ["1"], "q2": ["1"], "q3": ["true"], "q4": ["不知道"]},
}
REASON = "参加了线下集中培训"


@dataclass
class World:
    course: Course
    units: dict[str, int]
    people: dict[str, int]
    admin: User
    password: str
    today: date = field(default_factory=date.today)


def _quiz(app, db, user: User, course: Course, score: int) -> None:
    registry = app.extensions["lms"].question_types
    with unit_of_work(db):
        attempt = quizzes.start_or_resume(db, registry, user, course.modules[0])
    with unit_of_work(db):
        attempt, graded = quizzes.submit_attempt(db, registry, user, attempt.id, ANSWERS[score])
    assert graded and attempt.score == score


def _visit(db, user: User, course: Course, index: int) -> None:
    with unit_of_work(db):
        progress.record_visit(db, user, course.modules[index])


def _assign(db, user: User, course: Course, due_on: date) -> None:
    """Assigned with a due date already past: set on the record, as an old assignment left it
    (the assignment service refuses a due date in the past)."""
    with unit_of_work(db):
        enrollment = progress.enroll(db, user.id, course.id)
        enrollment.assigned = True
        enrollment.due_on = due_on


def build(app, db, make_user) -> World:
    people: dict[str, int] = {}

    def person(key: str, unit: str, name: str) -> User:
        user, _ = make_user("trainee", unit=unit, username=f"stats-{key}", name=name)
        people[key] = user.id
        return db.get(User, user.id)

    admin, password = make_user("admin", unit=None, username="stats-site-admin", name="站点管理员")
    admin = db.get(User, admin.id)
    course = catalog.get_course(db, "demo")
    today = date.today()

    p1 = person("p1", B1, "甲一")
    _quiz(app, db, p1, course, 100)
    _visit(db, p1, course, 1)
    _assign(db, p1, course, today - timedelta(days=3))
    p2 = person("p2", B1, FORMULA_NAME)
    _visit(db, p2, course, 1)
    p3 = person("p3", B1, "丙三")
    _quiz(app, db, p3, course, 25)
    p4 = person("p4", B2, "丁四")
    _quiz(app, db, p4, course, 100)
    _visit(db, p4, course, 1)
    p5 = person("p5", B2, "戊五")
    _quiz(app, db, p5, course, 50)
    p6 = person("p6", G1, "己六")
    p7 = person("p7", B3, "庚七")
    _assign(db, p7, course, today - timedelta(days=10))
    p8 = person("p8", B3, "辛八")
    _assign(db, p8, course, today - timedelta(days=5))
    _quiz(app, db, p8, course, 75)

    with unit_of_work(db):
        overrides.override_completion(db, admin, p6, course, reason=REASON)
    with unit_of_work(db):
        people_admin.move_person(db, admin, p4, find_unit(db, B3))
    with unit_of_work(db):
        people_admin.set_person_active(db, admin, p5, False)
    stats_rebuild.rebuild(db)  # the due dates above were set on the records directly
    db.expire_all()
    units = {path: find_unit(db, path).id for path in (ROOT, G1, G2, B1, B2, B3)}
    assert db.scalar(select(Enrollment.completed_at).where(
        Enrollment.user_id == p6.id)) is not None
    return World(course, units, people, admin, password, today)


@pytest.fixture
def stats_world(app, db, make_user) -> World:
    return build(app, db, make_user)


def sign_in_english(client, username: str, password: str) -> None:
    """Sign in and read the pages in English, so the tests do not wait on a compiled
    catalogue (the Chinese wording is the translators' business, the numbers are ours)."""
    assert sign_in(client, username, password).status_code == 302
    response = post_form(client, "/locale", {"locale": "en", "next": "/"}, token_from="/")
    assert response.status_code == 302


#: Figures worked out by hand from the tree above: learners, assigned, started, completed,
#: overdue, completion %, average best score (quiz scores only: 第二节 has no quiz).
ALL = [8, 3, 7, 3, 2, 37.5, 70.0]           # 100, 25, 100, 50, 75
G1_FIGURES = [5, 1, 5, 2, 0, 40.0, 58.3]    # B1 + B2 + 己六: 100, 25, 50
G2_FIGURES = [3, 2, 2, 1, 2, 33.3, 87.5]    # B3: 100 (丁四, moved in), 75
B1_FIGURES = [3, 1, 3, 1, 0, 33.3, 62.5]    # 100, 25
B2_FIGURES = [1, 0, 1, 0, 0, 0.0, 50.0]     # 戊五, deactivated, still counted
G1_OWN = [1, 0, 1, 1, 0, 100.0, None]       # 己六: completed by override, no score
#: Module funnel over the whole 党委: opened, quiz attempted, passed, average best score.
FUNNEL_ALL = {"第一节": [6, 5, 3, 70.0], "第二节": [4, 0, 4, None]}
FUNNEL_G1 = {"第一节": [4, 3, 2, 58.3], "第二节": [3, 0, 3, None]}
#: Best scores per band of ten: 25, 50, 75, 100, 100.
SCORES_ALL = [0, 0, 1, 0, 0, 1, 0, 1, 0, 2]
#: Lowest completion first; ties: more people first, then by name path.
LEAST_ALL = [(B2, B2_FIGURES[:6]), (B1, B1_FIGURES[:6]), (B3, G2_FIGURES[:6]),
             (G1, G1_OWN[:6])]
