"""The outbox dispatcher: listeners get every committed event, retried, never hurting a request."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import ClassVar

import pytest
from sqlalchemy import select

from lms.db import utcnow
from lms.events import ModuleViewed
from lms.models import OutboxDelivery, OutboxEvent
from lms.services import catalog, progress
from lms.services.course_views import module_of
from lms.services.dispatch import _claim, count_pending, dispatch_pending
from lms.subscribers import EventListener


class Recording(EventListener):
    name: ClassVar[str] = "recording"
    events = (ModuleViewed,)
    max_attempts: ClassVar[int] = 3

    def __init__(self) -> None:
        self.heard: list[tuple[int, ModuleViewed]] = []
        self.broken = False

    def handle(self, event, event_id) -> None:
        if self.broken:
            raise ValueError("listener bug")
        self.heard.append((event_id, event))


@pytest.fixture
def recording(app):
    listeners = app.extensions["lms"].listeners
    listener = Recording()
    listeners.register(listener)
    yield listener
    listeners.unregister("recording")


def at(moment):
    """A clock that always says ``moment``."""
    return lambda: moment


def deliveries(db, user_id: int) -> list[OutboxDelivery]:
    db.expire_all()
    return list(db.scalars(
        select(OutboxDelivery).join(OutboxEvent)
        .where(OutboxDelivery.listener == "recording",
               OutboxEvent.payload["user_id"].as_integer() == user_id)))


def test_a_page_that_raised_events_delivers_them_after_the_response(client, db, login_as,
                                                                     recording):
    user = login_as()
    response = client.get("/courses/demo/modules/second")
    assert response.status_code == 200 and recording.heard == []  # not before the response
    response.close()  # what the WSGI server does once the page has been sent
    viewed = [event for _, event in recording.heard if event.user_id == user.id]
    assert [type(e) for e in viewed] == [ModuleViewed]
    assert viewed[0].module_id == module_of(catalog.get_course(db, "demo"), "second").id
    assert all(d.delivered_at is not None for d in deliveries(db, user.id))


def test_a_failing_listener_never_reaches_the_trainee_and_is_retried(
        client, db, login_as, recording, caplog):
    recording.broken = True
    user = login_as()
    with caplog.at_level(logging.ERROR):
        response = client.get("/courses/demo/modules/second")
        assert response.status_code == 200
        response.close()
    assert "listener bug" in caplog.text
    [row] = deliveries(db, user.id)
    assert row.delivered_at is None and row.attempts == 1 and "listener bug" in row.last_error
    assert row.next_attempt_at > utcnow()  # backed off, not hammered
    listeners = client.application.extensions["lms"].listeners

    recording.broken = False
    dispatch_pending(db, listeners)  # not due yet: nothing happens
    assert deliveries(db, user.id)[0].delivered_at is None
    report = dispatch_pending(db, listeners, clock=at(utcnow() + timedelta(minutes=5)))
    assert report.delivered >= 1
    assert deliveries(db, user.id)[0].delivered_at is not None
    assert [e.user_id for _, e in recording.heard].count(user.id) == 1


def test_a_delivery_is_given_up_after_the_listeners_max_attempts(app, db, make_user,
                                                                 recording):
    user, _ = make_user()
    recording.broken = True
    progress.record_visit(db, user, catalog.get_course(db, "demo").modules[1])
    listeners = app.extensions["lms"].listeners
    later = utcnow()
    for _ in range(Recording.max_attempts):
        later += timedelta(hours=2)
        dispatch_pending(db, listeners, clock=at(later))
    [row] = deliveries(db, user.id)
    assert row.attempts == Recording.max_attempts and row.failed_at is not None
    dispatch_pending(db, listeners, clock=at(later + timedelta(days=1)))
    assert deliveries(db, user.id)[0].attempts == Recording.max_attempts  # left alone
    assert "recording" not in count_pending(db) or count_pending(db)["recording"] == 0


def test_a_claimed_delivery_is_not_claimed_twice(app, db, make_user, recording):
    user, _ = make_user()
    progress.record_visit(db, user, catalog.get_course(db, "demo").modules[1])
    [row] = deliveries(db, user.id)
    now = utcnow()
    assert _claim(db, row.id, at(now)) is not None
    assert _claim(db, row.id, at(now)) is None  # a second worker finds it leased
    assert _claim(db, row.id, at(now + timedelta(minutes=10))) is not None  # lease expired


def test_back_off_counts_from_the_failure_not_from_the_start_of_the_batch(app, db, make_user,
                                                                          recording):
    """A slow listener must not leave a retry time (or a lease) that already ran out."""
    user, _ = make_user()
    progress.record_visit(db, user, catalog.get_course(db, "demo").modules[1])
    start = utcnow()
    clock = {"now": start}

    def slow_and_broken(event, event_id):
        clock["now"] += timedelta(hours=2)  # the HTTP call took two hours
        raise TimeoutError("remote system did not answer")

    recording.handle = slow_and_broken
    dispatch_pending(db, app.extensions["lms"].listeners, clock=lambda: clock["now"])
    [row] = deliveries(db, user.id)
    assert row.next_attempt_at > start + timedelta(hours=2)
