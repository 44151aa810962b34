"""A unit of work is durable unless it says otherwise: on SQLite a heartbeat's or an
autosave's commit (``durable=False``) does not wait for the disk (``synchronous=NORMAL``: a
power cut may lose the last few, a crash of the app loses none), every other write does. On
PostgreSQL every commit waits: its asynchronous commit would lose acknowledged autosaves
when the server restarts."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from lms.db import make_engine, make_sessionmaker
from lms.services import quizzes, study_time
from lms.unit_of_work import BUS_KEY, EventBus, transactional, unit_of_work


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
