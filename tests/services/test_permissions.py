"""Scoped permissions: role defaults, grants, and the attempts a scope covers (Python and SQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from lms.models import Course, OutboxEvent, QuizAttempt, User
from lms.services import catalog, grading, grants, quizzes
from lms.services.errors import PermissionDenied
from lms.services.org import find_unit
from lms.services.permissions import Action, can, require, scope_of
from lms.unit_of_work import unit_of_work

UNIT_A = "甲党委/第一党总支/第一党支部"
UNIT_B = "甲党委/第一党总支/第二党支部"
UNIT_C = "乙党委/第一党支部"
ESSAY = [{"slug": "essay", "questions": [
    {"type": "short_answer", "prompt": "谈谈体会。", "answer": "言之有物。"}]}]


def test_role_defaults(db, make_user):
    trainee = make_user("trainee", unit=UNIT_A)[0]
    trainer = make_user("trainer", unit=UNIT_A)[0]
    admin = make_user("admin", unit="甲党委/第一党总支")[0]
    root_admin = make_user("admin", unit=None)[0]
    unit_a = find_unit(db, UNIT_A)
    assert scope_of(db, trainee).staff is False
    assert scope_of(db, trainer).published_unit_paths == {unit_a.path}
    assert scope_of(db, trainer).unit_paths == frozenset()
    assert scope_of(db, admin).unit_paths == {find_unit(db, "甲党委/第一党总支").path}
    assert scope_of(db, root_admin).everything
    assert can(db, admin, Action.ADMIN_UNIT, unit_a)
    assert not can(db, admin, Action.ADMIN_UNIT, find_unit(db, "甲党委"))
    assert not can(db, trainer, Action.ADMIN_UNIT, unit_a)


def test_grants_add_to_the_role_and_nested_subtrees_fold(db, make_user, grant, make_course):
    course = make_course(ESSAY)
    user = make_user("trainer", unit=UNIT_A)[0]
    grant(user, unit="甲党委")
    grant(user, unit="甲党委/第一党总支")
    grant(user, course=course.slug)
    scope = scope_of(db, user)
    assert scope.unit_paths == {find_unit(db, "甲党委").path}
    assert scope.published_unit_paths == frozenset()  # inside the unit admin's subtree
    assert scope.course_ids == {catalog.get_course(db, course.slug).id}


def _submit(db, app, user: User, slug: str) -> QuizAttempt:
    registry = app.extensions["lms"].question_types
    user = db.get(User, user.id)
    _, module = catalog.get_course_and_module(db, slug, "essay")
    attempt = quizzes.start_or_resume(db, registry, user, module)
    return quizzes.submit_attempt(db, registry, user, attempt.id, {"q1": ["我的体会。"]})[0]


@pytest.fixture
def world(app, db, make_user, make_course, grant):
    """Trainees in units A, B (same 总支) and C (another 党委), each with an attempt waiting
    on courses X and Y; and one person per kind of grant."""
    x, y = make_course(ESSAY).slug, make_course(ESSAY).slug
    attempts = {}
    for unit, name in ((UNIT_A, "a"), (UNIT_B, "b"), (UNIT_C, "c")):
        trainee = make_user("trainee", unit=unit)[0]
        for slug, course in ((x, "x"), (y, "y")):
            attempts[name + course] = _submit(db, app, trainee, slug).id
    people = {
        "trainee": make_user("trainee", unit=UNIT_A)[0],
        "trainer_a": make_user("trainer", unit=UNIT_A)[0],
        "trainer_root": make_user("trainer", unit="甲党委")[0],
        "admin_b": make_user("admin", unit=UNIT_B)[0],
        "unit_admin": make_user("trainee", unit=UNIT_C)[0],
        "author_x": make_user("trainee", unit=UNIT_C)[0],
        "site_admin": make_user("trainee", unit=UNIT_C)[0],
        "no_unit_trainer": make_user("trainer", unit=None)[0],
    }
    grant(people["unit_admin"], unit="甲党委/第一党总支")
    grant(people["author_x"], course=x)
    grant(people["site_admin"], site=True)
    return {"attempts": attempts, "people": people, "x": x, "y": y}


EXPECTED = {
    "trainee": set(),
    "trainer_a": {"ax", "ay"},
    "trainer_root": {"ax", "ay", "bx", "by"},
    "admin_b": {"bx", "by"},
    "unit_admin": {"ax", "ay", "bx", "by"},
    "author_x": {"ax", "bx", "cx"},
    "site_admin": {"ax", "ay", "bx", "by", "cx", "cy"},
    "no_unit_trainer": set(),
}


def _covered(db, world, who: str) -> tuple[set[str], set[str], set[str]]:
    """What the grading queue lists, what the Python check allows, and what ``can`` says."""
    names = {attempt_id: name for name, attempt_id in world["attempts"].items()}
    person = db.get(User, world["people"][who].id)
    scope = scope_of(db, person)
    queue, total = grading.grading_queue(db, per_page=100, scope=scope)
    listed = {names[a.id] for a in queue if a.id in names}
    assert total >= len(listed)
    attempts = [db.get(QuizAttempt, attempt_id) for attempt_id in names]
    python = {names[a.id] for a in attempts if scope.covers(a)}
    allowed = {names[a.id] for a in attempts if can(db, person, Action.GRADE_ATTEMPT, a)}
    return listed, python, allowed


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_grading_scope_is_the_same_in_the_queue_and_the_check(db, world, who):
    listed, python, allowed = _covered(db, world, who)
    assert listed == python == allowed == EXPECTED[who]


def test_trainers_reach_published_courses_only_unit_admins_every_course(db, world):
    with unit_of_work(db):
        db.execute(update(Course).where(Course.slug == world["y"]).values(published=False))
    db.expire_all()
    assert _covered(db, world, "trainer_a")[0] == {"ax"}
    assert _covered(db, world, "unit_admin")[0] == {"ax", "ay", "bx", "by"}
    hidden = db.scalar(select(Course).where(Course.slug == world["y"]))
    trainer = world["people"]["trainer_a"]
    assert not can(db, trainer, Action.VIEW_ITEM_ANALYSIS, hidden)
    assert not can(db, trainer, Action.STUDY_COURSE, hidden)
    assert can(db, world["people"]["site_admin"], Action.STUDY_COURSE, hidden)


def test_authoring_needs_a_course_author_grant(db, world):
    x = catalog.get_course(db, world["x"])
    y = catalog.get_course(db, world["y"])
    people = world["people"]
    assert can(db, people["author_x"], Action.AUTHOR_COURSE, x)
    assert not can(db, people["author_x"], Action.AUTHOR_COURSE, y)
    assert can(db, people["author_x"], Action.AUTHOR_COURSE)  # e.g. the bank template
    assert not can(db, people["author_x"], Action.VIEW_ITEM_ANALYSIS, y)
    for who in ("trainer_a", "trainer_root", "admin_b", "unit_admin"):
        assert not can(db, people[who], Action.AUTHOR_COURSE, x), who
        assert can(db, people[who], Action.VIEW_ITEM_ANALYSIS, x), who
    assert can(db, people["site_admin"], Action.AUTHOR_COURSE, y)
    assert not can(db, people["trainee"], Action.VIEW_GRADING_QUEUE)
    assert can(db, people["no_unit_trainer"], Action.VIEW_GRADING_QUEUE)
    assert not can(db, None, Action.STUDY_COURSE, x)
    with pytest.raises(PermissionDenied):
        require(db, people["trainer_a"], Action.AUTHOR_COURSE, x)


def test_inactive_users_can_nothing_and_wrong_resources_are_bugs(db, world):
    site_admin = db.get(User, world["people"]["site_admin"].id)
    with unit_of_work(db):
        site_admin.active = False
    x = catalog.get_course(db, world["x"])
    assert not can(db, site_admin, Action.AUTHOR_COURSE, x)
    with pytest.raises(TypeError):
        can(db, site_admin, Action.GRADE_ATTEMPT, x)
    with pytest.raises(TypeError):
        can(db, None, Action.ADMIN_UNIT, None)


def test_grant_and_revoke_raise_events_and_say_when_nothing_changed(db, make_user):
    user = make_user("trainee", unit=UNIT_A)[0]
    make_user("trainee", unit=UNIT_B)
    target = grants.find_target(db, unit_path="甲党委/第一党总支")
    assert grants.grant(db, user, target) is True
    assert grants.grant(db, user, target) is False
    assert can(db, user, Action.ADMIN_UNIT, find_unit(db, UNIT_B))
    assert grants.revoke(db, user, target) is True
    assert grants.revoke(db, user, target) is False
    assert not can(db, user, Action.ADMIN_UNIT, find_unit(db, UNIT_B))
    events = db.scalars(select(OutboxEvent).where(OutboxEvent.name == "grant_changed")
                        .order_by(OutboxEvent.id)).all()
    assert [(e.payload["granted"], e.payload["user_id"]) for e in events] == [
        (True, user.id), (False, user.id)]


def test_a_unit_admin_grants_only_inside_their_subtree(db, make_user, grant):
    admin = make_user("trainee", unit=UNIT_A)[0]
    grant(admin, unit="甲党委/第一党总支")
    secretary = make_user("trainee", unit=UNIT_B)[0]
    make_user("trainee", unit=UNIT_C)
    grants.grant(db, secretary, grants.find_target(db, unit_path=UNIT_B), actor=admin)
    assert can(db, secretary, Action.ADMIN_UNIT, find_unit(db, UNIT_B))
    for target in (grants.find_target(db, unit_path=UNIT_C),
                   grants.find_target(db, site=True)):
        with pytest.raises(PermissionDenied):
            grants.grant(db, secretary, target, actor=admin)
    assert [t.kind.value for t in grants.list_grants(db, secretary)] == ["unit_admin"]


def test_the_row_says_whether_the_person_holds_grants(db, make_user):
    """Pages skip the grants query for people whose row says they hold none, so granting
    must set the flag and taking the last grant back may clear it."""
    person = db.get(User, make_user("trainee", unit=UNIT_A)[0].id)
    unit = grants.find_target(db, unit_path="甲党委")
    site = grants.find_target(db, site=True)
    assert person.has_grants is False and scope_of(db, person).unit_paths == frozenset()
    grants.grant(db, person, unit)
    grants.grant(db, person, site)
    assert person.has_grants is True
    assert scope_of(db, person).unit_paths == {find_unit(db, "甲党委").path}
    grants.revoke(db, person, unit)
    assert person.has_grants is True and scope_of(db, person).everything
    grants.revoke(db, person, site)
    db.expire_all()
    assert person.has_grants is False and not scope_of(db, person).everything
