"""SQLite writers take turns through ``<database>-writer.lock`` (lms.sqlite_writer): held for
exactly the write transaction, never by a read, given back however the transaction ends, and
never a deadlock when one thread nests a second write."""

from __future__ import annotations

import fcntl
import os
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from lms.db import WRITE_OPTION, make_engine


def _engine(tmp_path, busy_timeout_ms: int):
    engine = make_engine(f"sqlite:///{tmp_path / 'turns.sqlite3'}",
                         busy_timeout_ms=busy_timeout_ms)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS t (n INTEGER)"))
    return engine


@pytest.fixture
def engine(tmp_path):
    engine = _engine(tmp_path, 10_000)
    yield engine
    engine.dispose()


def _held_elsewhere(engine) -> bool:
    """Whether another holder has the lock file (a fresh descriptor cannot take it)."""
    fd = os.open(f"{engine.url.database}-writer.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _write(engine):
    return engine.connect().execution_options(**{WRITE_OPTION: True})


def test_a_write_holds_the_turn_until_it_commits_or_rolls_back(engine):
    for end in ("commit", "rollback"):
        with _write(engine) as connection:
            connection.begin()
            connection.execute(text("INSERT INTO t VALUES (1)"))
            assert _held_elsewhere(engine), end
            getattr(connection, end)()
            assert not _held_elsewhere(engine), end


def test_a_write_that_fails_gives_the_turn_back(engine):
    with pytest.raises(OperationalError), _write(engine) as connection, connection.begin():
        connection.execute(text("INSERT INTO no_such_table VALUES (1)"))
    assert not _held_elsewhere(engine)


def test_a_read_does_not_take_the_turn(engine):
    with engine.connect() as connection, connection.begin():
        connection.execute(text("SELECT count(*) FROM t"))
        assert not _held_elsewhere(engine)


def test_a_nested_write_in_one_thread_fails_as_sqlite_would_instead_of_hanging(tmp_path):
    engine = _engine(tmp_path, 200)
    with _write(engine) as outer, outer.begin():
        outer.execute(text("INSERT INTO t VALUES (1)"))
        with pytest.raises(OperationalError, match="database is locked"), \
                _write(engine) as inner, inner.begin():
            inner.execute(text("INSERT INTO t VALUES (2)"))
    assert not _held_elsewhere(engine)
    engine.dispose()


def test_a_waiting_writer_goes_on_once_the_turn_is_given_back(engine):
    order, started = [], threading.Event()

    def second_writer() -> None:
        started.set()
        with _write(engine) as connection, connection.begin():
            order.append("second begins")
            connection.execute(text("INSERT INTO t VALUES (2)"))

    with _write(engine) as connection:
        connection.begin()
        connection.execute(text("INSERT INTO t VALUES (1)"))
        thread = threading.Thread(target=second_writer)
        thread.start()
        started.wait(10)
        order.append("first commits")
        connection.commit()
    thread.join(10)
    assert order == ["first commits", "second begins"]
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM t")) == 2
