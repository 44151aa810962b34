"""One unit of work per service call: rows, in-transaction handlers and outbox, all or nothing."""

from __future__ import annotations

from typing import ClassVar

import pytest
from sqlalchemy import func, select

from lms.events import AttemptSubmitted, CourseCompleted, ModuleCompleted, ModuleViewed
from lms.models import Enrollment, ModuleProgress, OutboxDelivery, OutboxEvent, QuizAttempt
from lms.services import catalog, progress
from lms.subscribers import EventHandler
from lms.unit_of_work import raise_event, unit_of_work
from tests.conftest import submit_quiz


def outbox_names(db) -> list[str]:
    return list(db.scalars(select(OutboxEvent.name).order_by(OutboxEvent.id)))


class Exploding(EventHandler):
    name: ClassVar[str] = "exploding"
    events = (ModuleCompleted,)

    def handle(self, event, session) -> None:
        raise ValueError("the counter table is gone")


@pytest.fixture
def exploding_handler(app):
    handlers = app.extensions["lms"].handlers
    handlers.register(Exploding())
    yield
    handlers.unregister("exploding")


def test_events_reach_the_outbox_only_when_the_unit_commits(db, make_user):
    user, _ = make_user()
    reading_only = catalog.get_course(db, "demo").modules[1]
    before = db.scalar(select(func.count()).select_from(OutboxEvent))
    with pytest.raises(RuntimeError), unit_of_work(db):
        progress.record_visit(db, user, reading_only)
        raise RuntimeError("crash before commit")
    assert db.scalar(select(func.count()).select_from(OutboxEvent)) == before
    assert db.scalar(select(ModuleProgress).filter_by(user_id=user.id)) is None

    progress.record_visit(db, user, reading_only)
    events = db.scalars(select(OutboxEvent).where(OutboxEvent.id > 0)
                        .order_by(OutboxEvent.id.desc()).limit(3)).all()
    assert sorted(e.name for e in events) == ["course_enrolled", "module_completed",
                                              "module_viewed"]
    assert all(e.payload["user_id"] == user.id for e in events)
    # One delivery per event for the built-in audit-log listener.
    assert all([d.listener for d in e.deliveries] == ["audit_log"] for e in events)


def test_a_second_view_writes_nothing(db, make_user):
    user, _ = make_user()
    module = catalog.get_course(db, "demo").modules[1]
    progress.record_visit(db, user, module)
    count = db.scalar(select(func.count()).select_from(OutboxEvent))
    seen = db.scalar(select(ModuleProgress.last_seen_at).filter_by(user_id=user.id))
    progress.record_visit(db, user, module)
    assert db.scalar(select(func.count()).select_from(OutboxEvent)) == count
    assert db.scalar(select(ModuleProgress.last_seen_at).filter_by(user_id=user.id)) == seen


def test_a_nested_call_joins_the_outer_unit(db, make_user):
    user, _ = make_user()
    with_quiz, reading_only = catalog.get_course(db, "demo").modules
    with pytest.raises(LookupError), unit_of_work(db) as outer:
        progress.record_visit(db, user, with_quiz)
        progress.record_visit(db, user, reading_only)
        assert {type(e) for e in outer.events} >= {ModuleViewed, ModuleCompleted}
        raise LookupError("the second half failed")
    assert db.scalar(select(func.count()).select_from(ModuleProgress)
                     .filter_by(user_id=user.id)) == 0


def test_an_event_outside_a_unit_is_an_error_not_silence(db):
    with pytest.raises(RuntimeError, match="outside a unit of work"):
        raise_event(db, CourseCompleted(actor_id=None, user_id=1, course_id=1))


def test_the_last_module_completes_the_course_in_the_same_unit(db, make_user):
    """CourseCompletion is an in-transaction handler: course and module commit together."""
    user, _ = make_user()
    demo = catalog.get_course(db, "demo")
    with unit_of_work(db):
        for module in demo.modules:
            progress_row = progress.record_visit(db, user, module)
            progress._complete_if_done(db, user, module, progress_row, actor_id=user.id,
                                       quiz_passed=True)
    enrollment = db.scalar(select(Enrollment).filter_by(user_id=user.id, course_id=demo.id))
    assert enrollment.completed_at is not None
    completed = db.scalars(select(OutboxEvent).where(OutboxEvent.name == "course_completed"))
    assert [e.payload["user_id"] for e in completed].count(user.id) == 1


def test_a_failing_handler_rolls_back_the_submission_and_says_so(
        app, client, db, login_as, exploding_handler):
    user = login_as()
    response = submit_quiz(client, "/courses/assess/modules/scoring/quiz", {"q1": ["0", "1", "2"]})
    assert response.status_code == 503
    assert "没有保存" in response.get_data(as_text=True)
    attempt = db.scalar(select(QuizAttempt).filter_by(user_id=user.id))
    assert attempt.submitted_at is None and attempt.results is None  # still open, untouched
    assert db.scalar(select(func.count()).select_from(OutboxEvent).where(
        OutboxEvent.name == AttemptSubmitted.name,
        OutboxEvent.payload["user_id"].as_integer() == user.id)) == 0


def test_deliveries_are_made_for_each_interested_listener_only(db, make_user):
    user, _ = make_user()
    progress.record_visit(db, user, catalog.get_course(db, "demo").modules[1])
    rows = db.scalars(select(OutboxDelivery).join(OutboxEvent)
                      .where(OutboxEvent.payload["user_id"].as_integer() == user.id)).all()
    assert rows and {r.listener for r in rows} == {"audit_log"}
    assert all(r.delivered_at is None and r.attempts == 0 for r in rows)


def test_a_unit_reads_rows_as_committed_now_not_as_the_view_read_them(app, db):
    """A view reads the module, a course reload renames it, then the view's service runs:
    the service must work on the renamed module, not the copy read before."""
    from lms.models import Module

    module = catalog.get_course(db, "demo").modules[1]
    assert module.title != "改过的标题"
    other = app.extensions["lms"].sessionmaker()
    with unit_of_work(other):
        other.get(Module, module.id).title = "改过的标题"
    other.close()
    with unit_of_work(db):
        assert module.title == "改过的标题"
