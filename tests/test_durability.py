"""A unit of work is durable unless it says otherwise: on SQLite a heartbeat's or an
autosave's commit (``durable=False``) does not wait for the disk (``synchronous=NORMAL``: a
power cut may lose the last few, a crash of the app loses none), every other write does. On
PostgreSQL every commit waits: its asynchronous commit would lose acknowledged autosaves
when the server restarts."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import event, text

from lms import migrate
from lms.db import make_engine, make_sessionmaker
from lms.events import CourseEnrolled
from lms.services import quizzes, study_time
from lms.unit_of_work import BUS_KEY, EventBus, raise_event, transactional, unit_of_work


@pytest.fixture
def session(empty_database):
    engine = make_engine(empty_database)
    if engine.dialect.name == "postgresql":  # the test server turns it off for speed
        event.listen(engine, "connect", lambda dbapi, _record: _waits_for_disk(dbapi))
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (n INTEGER)"))
    maker = make_sessionmaker(engine)
    maker.configure(info={BUS_KEY: EventBus(handlers=None, listeners=None)})
    session = maker()
    yield session
    session.close()
    engine.dispose()


def _waits_for_disk(dbapi_connection) -> None:
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO on")
    dbapi_connection.commit()


def _waits(session) -> bool:
    """Whether this transaction's commit will wait for the disk."""
    if session.get_bind().dialect.name == "sqlite":
        return session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL; NORMAL is 1
    return session.execute(text("SHOW synchronous_commit")).scalar() == "on"


def _unit_waits(session, *, durable: bool) -> bool:
    with unit_of_work(session, durable=durable):
        session.execute(text("INSERT INTO t VALUES (1)"))
        return _waits(session)


def test_each_write_commits_as_durably_as_its_unit_asks(session):
    sqlite = session.get_bind().dialect.name == "sqlite"
    assert _unit_waits(session, durable=True)
    assert _unit_waits(session, durable=False) is not sqlite
    assert _unit_waits(session, durable=True)  # the same pooled connection, durable again
    assert session.execute(text("SELECT count(*) FROM t")).scalar() == 3


def test_a_decorated_service_says_whether_it_is_durable(session):
    @transactional(durable=False)
    def beat_like(session):
        return _waits(session)

    @transactional
    def grade_like(session):
        return _waits(session)

    sqlite = session.get_bind().dialect.name == "sqlite"
    assert (beat_like(session), grade_like(session)) == (not sqlite, True)


def test_only_heartbeats_and_autosaves_give_up_durability():
    """Grades, completions, 学时 records and everything else keep waiting for the disk."""
    assert study_time._record.lms_durable is False
    assert quizzes.save_draft.lms_durable is False
    assert quizzes.submit_attempt.lms_durable is True


@pytest.fixture
def lms_session(app, tmp_path):
    """A session on a migrated SQLite file with the app's event subscribers."""
    engine = make_engine(f"sqlite:///{tmp_path / 'events.sqlite3'}")
    migrate.upgrade(engine)
    maker = make_sessionmaker(engine)
    maker.configure(info={BUS_KEY: app.extensions["lms"].bus})
    session = maker()
    yield session
    session.close()
    engine.dispose()


@pytest.fixture
def synced(monkeypatch):
    """The files fsync'ed, by name (the real fsync still runs)."""
    names: list[str] = []
    real = os.fsync

    def fsync(descriptor: int) -> None:
        names.append(os.path.basename(os.readlink(f"/proc/self/fd/{descriptor}")))
        real(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    return names


@pytest.mark.backends("sqlite")  # its own SQLite file; the app only lends its subscribers
def test_a_unit_that_gave_durability_up_but_raised_events_is_synced_to_disk(lms_session,
                                                                            synced):
    """A heartbeat that completes a course (or enrolls someone) must not lose it."""
    with unit_of_work(lms_session, durable=False):
        lms_session.execute(text("SELECT 1"))  # a routine beat: nothing to keep
    assert synced == []
    with unit_of_work(lms_session, durable=False):
        raise_event(lms_session, CourseEnrolled(actor_id=1, user_id=1, course_id=1))
    assert synced == ["events.sqlite3-wal", "events.sqlite3"]


@pytest.mark.backends("sqlite")  # PostgreSQL never gives durability up
def test_a_connection_goes_back_to_the_pool_durable(session):
    """Code outside a unit (a host's, a migration) that takes the connection next commits at
    FULL without asking."""
    assert not _unit_waits(session, durable=False)
    session.close()  # the connection is checked back in
    with session.get_bind().connect() as connection:
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2
