"""Completion overrides complete like a trainee would, keep the reason, and refuse twice."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lms.models import (
    AdminAction,
    CompletionOverride,
    Enrollment,
    ModuleProgress,
    OutboxEvent,
    ProgressStatus,
    User,
)
from lms.services import catalog, overrides
from lms.services.errors import PermissionDenied
from lms.services.overrides import OverrideRefused

BRANCH = "补记党委/第一党总支/第一党支部"
OTHER = "补记党委/第二党总支"
QUIZ = [{"type": "true_false", "prompt": "党课每季度至少一次。", "answer": "正确"}]


@pytest.fixture
def site_admin(db, make_user, grant):
    user, _ = make_user("trainee", unit=None)
    grant(user, site=True)
    return db.get(User, user.id)


@pytest.fixture
def trainee(db, make_user):
    user, _ = make_user("trainee", unit=BRANCH)
    return db.get(User, user.id)


@pytest.fixture
def course(db, make_course):
    """A quiz module, a reading and an elective."""
    made = make_course([{"slug": "quiz", "questions": QUIZ}, {"slug": "read"},
                        {"slug": "extra", "required": False}])
    return catalog.get_course(db, made.slug)


def events(db, name: str, user: User) -> int:
    return sum(1 for payload in db.scalars(select(OutboxEvent.payload)
                                           .where(OutboxEvent.name == name))
               if payload["user_id"] == user.id)


def module_status(db, user: User, module) -> ProgressStatus | None:
    return db.scalar(select(ModuleProgress.status).where(ModuleProgress.user_id == user.id,
                                                         ModuleProgress.module_id == module.id))


def completed_at(db, user: User, course):
    db.expire_all()
    return db.scalar(select(Enrollment.completed_at).where(Enrollment.user_id == user.id,
                                                           Enrollment.course_id == course.id))


def test_overriding_the_last_required_module_completes_the_course(db, site_admin, trainee,
                                                                  course):
    quiz, read, _extra = course.modules
    made = overrides.override_completion(db, site_admin, trainee, course, module=quiz,
                                         reason="线下补考通过")
    assert (made.module_id, made.reason, made.source) == (quiz.id, "线下补考通过", "form")
    assert module_status(db, trainee, quiz) is ProgressStatus.COMPLETED
    assert completed_at(db, trainee, course) is None
    overrides.override_completion(db, site_admin, trainee, course, module=read,
                                  reason="参加了线下党课", source="import")
    assert completed_at(db, trainee, course) is not None
    assert events(db, "module_completed", trainee) == 2
    assert events(db, "course_completed", trainee) == 1
    audit = list(db.scalars(select(AdminAction).where(
        AdminAction.action == "completion_overridden", AdminAction.target_id == trainee.id)
        .order_by(AdminAction.id)))
    assert [row.after["reason"] for row in audit] == ["线下补考通过", "参加了线下党课"]
    assert audit[0].org_unit_path == trainee.org_unit.path
    with pytest.raises(OverrideRefused) as refused:
        overrides.override_completion(db, site_admin, trainee, course, module=quiz, reason="再次")
    assert refused.value.reason == "already_completed"


def test_overriding_a_course_completes_every_required_module_once(db, site_admin, trainee,
                                                                  course):
    quiz, read, extra = course.modules
    overrides.override_completion(db, site_admin, trainee, course, module=read, reason="先记一节")
    overrides.override_completion(db, site_admin, trainee, course, reason="整门课线下完成")
    assert completed_at(db, trainee, course) is not None
    assert module_status(db, trainee, quiz) is ProgressStatus.COMPLETED
    assert module_status(db, trainee, extra) is None  # electives stay as they were
    assert events(db, "module_completed", trainee) == 2
    assert events(db, "course_completed", trainee) == 1
    assert overrides.reasons_for(db, trainee, course) == {read.id: "先记一节",
                                                           None: "整门课线下完成"}
    with pytest.raises(OverrideRefused) as refused:
        overrides.override_completion(db, site_admin, trainee, course, reason="又一次")
    assert refused.value.reason == "already_completed"


@pytest.mark.parametrize("reason", ["", "   ", "长" * 501])
def test_a_reason_is_required_and_bounded(db, site_admin, trainee, course, reason):
    with pytest.raises(OverrideRefused) as refused:
        overrides.override_completion(db, site_admin, trainee, course, reason=reason)
    assert refused.value.field == "reason"
    assert db.scalar(select(func.count(CompletionOverride.id))) == 0
    assert completed_at(db, trainee, course) is None
    assert module_status(db, trainee, course.modules[0]) is None


def test_only_admins_of_the_persons_unit_may_override(db, make_user, grant, trainee, course):
    outsider, _ = make_user("trainee", unit=OTHER)
    grant(outsider, unit=OTHER)
    with pytest.raises(PermissionDenied):
        overrides.override_completion(db, db.get(User, outsider.id), trainee, course,
                                      reason="越权")
    assert completed_at(db, trainee, course) is None


def test_a_unit_admin_cannot_mark_their_own_training_complete(db, make_user, grant, course):
    admin, _ = make_user("trainee", unit=OTHER)
    grant(admin, unit=OTHER)
    me = db.get(User, admin.id)
    with pytest.raises(PermissionDenied):
        overrides.override_completion(db, me, me, course, reason="我自己参加过")
    assert completed_at(db, me, course) is None
