"""结业证书: issued once, in the transaction that completes the course, by the course's rule;
revoked with a reason and re-issued with a new code; backfilled for earlier completions."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

import pytest
from sqlalchemy import select

from lms.db import utcnow
from lms.events import CertificateIssued
from lms.models import AdminAction, Certificate, Course, Enrollment, HoursEntry, User
from lms.services import (
    catalog,
    certificate_admin,
    certificates,
    overrides,
    progress,
    quizzes,
    recurrence,
)
from lms.services.certificate_admin import CertificateRefused
from lms.services.errors import EventHandlingFailed, PermissionDenied
from lms.subscribers import EventHandler
from lms.unit_of_work import unit_of_work
from tests.services.test_completion_rules import Studying

BRANCH = "证书党委/第一党总支/第一党支部"
OTHER = "证书党委/第二党总支"
QUIZ = [{"type": "true_false", "prompt": "党员应当按期交纳党费。", "answer": "正确"}]


@pytest.fixture
def trainee(db, make_user):
    user, _ = make_user("trainee", unit=BRANCH, name="李春梅")
    return db.get(User, user.id)


@pytest.fixture
def admin(db, make_user, grant):
    user, _ = make_user("trainee", unit="证书党委")
    grant(user, unit="证书党委/第一党总支")
    return db.get(User, user.id)


def make(db, make_course, modules, rules=None) -> Course:
    course = catalog.get_course(db, make_course(modules, title="学习贯彻党章专题").slug)
    if rules is not None:
        with unit_of_work(db):
            db.get(Course, course.id).rules = rules
    return course


def held(db, user) -> list[Certificate]:
    db.expire_all()
    return list(db.scalars(select(Certificate).where(Certificate.user_id == user.id)
                           .order_by(Certificate.id)))


def pass_quiz(app, db, user, module, answer="true"):
    registry = app.extensions["lms"].question_types
    attempt = quizzes.start_or_resume(db, registry, user, module)
    quizzes.submit_attempt(db, registry, user, attempt.id, {"q1": [answer]})


def test_completing_the_last_module_issues_one_certificate(db, make_course, trainee):
    course = make(db, make_course, [{"slug": "a"}, {"slug": "b"}])
    with unit_of_work(db):  # 学时 the person earned in this course, in two years
        db.add_all([HoursEntry(user_id=trainee.id, course_id=course.id, year=2025,
                               kind="online", quarter_hours=3),
                    HoursEntry(user_id=trainee.id, course_id=course.id, year=2026,
                               kind="online", quarter_hours=4)])
    progress.record_visit(db, trainee, course.modules[0])
    assert held(db, trainee) == []
    progress.record_visit(db, trainee, course.modules[1])
    [certificate] = held(db, trainee)
    enrollment = db.scalar(select(Enrollment).where(Enrollment.user_id == trainee.id))
    assert (certificate.holder_name, certificate.unit_name, certificate.course_title) == (
        "李春梅", BRANCH, "学习贯彻党章专题")
    assert certificate.completed_on == enrollment.completed_at.astimezone().date()
    assert certificate.hours == 1.75 and certificate.revoked_at is None
    assert len(certificate.code) == 16 and set(certificate.code) <= set(certificates.ALPHABET)
    # Completing again (a new version, a revisit) never issues a second one.
    progress.record_visit(db, trainee, course.modules[1])
    assert certificates.issue_if_earned(db, trainee.id, course.id, actor_id=None) is None
    assert len(held(db, trainee)) == 1


class FailsAfterIssuing(EventHandler):
    name: ClassVar[str] = "fails_after_issuing"
    events = (CertificateIssued,)

    def handle(self, event, session) -> None:
        raise ValueError("a later handler fails")


def test_the_certificate_and_the_completion_commit_together(app, db, make_course, trainee):
    course = make(db, make_course, [{"slug": "a"}])
    handlers = app.extensions["lms"].handlers
    handlers.register(FailsAfterIssuing())
    try:
        with pytest.raises(EventHandlingFailed):
            progress.record_visit(db, trainee, course.modules[0])
    finally:
        handlers.unregister("fails_after_issuing")
    assert held(db, trainee) == []
    assert db.scalar(select(Enrollment.completed_at).where(
        Enrollment.user_id == trainee.id)) is None


def test_rule_none_issues_nothing(db, make_course, trainee):
    course = make(db, make_course, [{"slug": "a"}], rules={"certificate": "none"})
    progress.record_visit(db, trainee, course.modules[0])
    assert progress.course_outline(db, trainee, course).completed
    assert held(db, trainee) == []


def test_rule_final_exam_needs_a_passed_exam(app, db, make_course, trainee, admin):
    rules = {"certificate": "final_exam", "final_exam": "exam"}
    course = make(db, make_course, [{"slug": "read"}, {"slug": "exam", "questions": QUIZ}],
                  rules=rules)
    # Completed by an administrator's override: the exam was never passed, so no certificate.
    overrides.override_completion(db, admin, trainee, course, reason="线下培训")
    assert progress.course_outline(db, trainee, course).completed
    assert held(db, trainee) == []
    # Passing the exam afterwards earns it, with the test's 学时 counted.
    pass_quiz(app, db, trainee, course.modules[1], answer="false")
    assert held(db, trainee) == []
    pass_quiz(app, db, trainee, course.modules[1])
    assert len(held(db, trainee)) == 1


def test_passing_the_final_exam_completes_and_certifies_at_once(app, db, make_course, trainee):
    course = make(db, make_course, [{"slug": "read"}, {"slug": "exam", "questions": QUIZ}],
                  rules={"certificate": "final_exam", "final_exam": "exam"})
    progress.record_visit(db, trainee, course.modules[0])
    pass_quiz(app, db, trainee, course.modules[1])
    [certificate] = held(db, trainee)
    entry = db.scalar(select(HoursEntry).where(HoursEntry.user_id == trainee.id))
    assert certificate.quarter_hours == entry.quarter_hours


def test_a_revoked_certificate_is_not_issued_again_by_a_later_pass(app, db, make_course,
                                                                   trainee, admin):
    course = make(db, make_course, [{"slug": "read"}, {"slug": "exam", "questions": QUIZ}],
                  rules={"certificate": "final_exam", "final_exam": "exam"})
    progress.record_visit(db, trainee, course.modules[0])
    pass_quiz(app, db, trainee, course.modules[1])
    [certificate] = held(db, trainee)
    certificate_admin.revoke(db, admin, trainee, certificate, "考试作弊")
    pass_quiz(app, db, trainee, course.modules[1])  # only an admin replaces a revoked one
    assert [c.revoked_at is not None for c in held(db, trainee)] == [True]


def test_revoke_needs_a_reason_and_reissue_gives_a_new_code(db, make_course, trainee, admin):
    course = make(db, make_course, [{"slug": "a"}])
    progress.record_visit(db, trainee, course.modules[0])
    [first] = held(db, trainee)
    with pytest.raises(CertificateRefused):
        certificate_admin.revoke(db, admin, trainee, first, "  ")
    with pytest.raises(CertificateRefused):  # still valid: nothing to replace
        certificate_admin.reissue_certificate(db, admin, trainee, first)
    certificate_admin.revoke(db, admin, trainee, first, "姓名有误")
    [first] = held(db, trainee)
    assert first.revoked_at is not None and first.revoke_reason == "姓名有误"
    assert certificates.valid_for(db, trainee.id, course.id) is None
    new = certificate_admin.reissue_certificate(db, admin, trainee, first)
    assert new.replaces_id == first.id and new.code != first.code and new.revoked_at is None
    with pytest.raises(CertificateRefused):  # one valid certificate per completion
        certificate_admin.reissue_certificate(db, admin, trainee, first)
    actions = list(db.scalars(select(AdminAction.action).where(
        AdminAction.target_id == trainee.id, AdminAction.action.like("certificate_%"))
        .order_by(AdminAction.id)))
    assert actions == ["certificate_revoked", "certificate_issued"]


def test_revoke_and_reissue_in_one_step(db, make_course, trainee, admin):
    course = make(db, make_course, [{"slug": "a"}])
    progress.record_visit(db, trainee, course.modules[0])
    [first] = held(db, trainee)
    new = certificate_admin.revoke(db, admin, trainee, first, "单位调整", reissue=True)
    assert [c.id for c in held(db, trainee)] == [first.id, new.id]
    assert certificates.valid_for(db, trainee.id, course.id).id == new.id


def test_an_admin_of_another_unit_cannot_revoke(db, make_course, make_user, grant, trainee):
    other, _ = make_user("trainee", unit=OTHER)
    grant(other, unit=OTHER)
    course = make(db, make_course, [{"slug": "a"}])
    progress.record_visit(db, trainee, course.modules[0])
    [certificate] = held(db, trainee)
    with pytest.raises(PermissionDenied):
        certificate_admin.revoke(db, db.get(User, other.id), trainee, certificate, "无权")
    assert held(db, trainee)[0].revoked_at is None


def test_codes_are_found_whatever_the_case_and_spacing(db, make_course, trainee):
    course = make(db, make_course, [{"slug": "a"}])
    progress.record_visit(db, trainee, course.modules[0])
    [certificate] = held(db, trainee)
    typed = f"  {certificates.grouped(certificate.code).lower()} "
    assert certificates.find_by_code(db, typed).id == certificate.id
    assert certificates.find_by_code(db, "0" * 16) is None  # not of the alphabet: no query
    assert certificates.find_by_code(db, "x" * 300) is None


def test_backfill_issues_once_and_leaves_revoked_ones_revoked(app, db, make_course, trainee,
                                                              admin, runner):
    handlers = app.extensions["lms"].handlers
    handler = handlers.get("certificates")
    handlers.unregister("certificates")  # completions from before certificates existed
    try:
        course = make(db, make_course, [{"slug": "a"}])
        silent = make(db, make_course, [{"slug": "a"}], rules={"certificate": "none"})
        progress.record_visit(db, trainee, course.modules[0])
        progress.record_visit(db, trainee, silent.modules[0])
    finally:
        handlers.register(handler)
    assert held(db, trainee) == []
    result = runner.invoke(args=["lms", "certificates", "issue-missing"])
    assert result.exit_code == 0, result.output
    assert "颁发了 1 张证书" in result.output
    [certificate] = held(db, trainee)
    assert certificate.course_id == course.id
    certificate_admin.revoke(db, admin, trainee, certificate, "撤销测试")
    result = runner.invoke(args=["lms", "certificates", "issue-missing"])
    assert "颁发了 0 张证书" in result.output
    assert [c.revoked_at is not None for c in held(db, trainee)] == [True]


def test_a_new_cycle_of_a_recurring_course_earns_its_own_certificate(db, make_course,
                                                                      trainee):
    course = make(db, make_course, [{"slug": "a", "minutes": 20}], rules={"recur_months": 12})
    progress.record_visit(db, trainee, course.modules[0])
    with unit_of_work(db):
        enrollment = db.scalar(select(Enrollment).where(Enrollment.user_id == trainee.id))
        enrollment.assigned = True
        db.add(HoursEntry(user_id=trainee.id, course_id=course.id, year=2026, kind="online",
                          quarter_hours=6))
        completed = enrollment.completed_at.date()
    later = recurrence.add_months(completed, 12) + timedelta(days=1)
    assert recurrence.open_due_cycles(db, today=later, notice_days=0) == 1
    module = catalog.get_course(db, course.slug).modules[0]
    study = Studying(db, trainee)  # 学时 earned in the second cycle, from its own beats
    study.at = utcnow()
    study.minutes(module, 23)  # 23 min ÷ 45 rounds down to 0.5 学时
    progress.record_visit(db, trainee, module)
    first, second = held(db, trainee)
    assert (first.cycle, second.cycle) == (1, 2)
    assert first.revoked_at is None and second.revoked_at is None  # both stay verifiable
    assert second.quarter_hours == 2
    assert certificates.valid_for(db, trainee.id, course.id).id == second.id
