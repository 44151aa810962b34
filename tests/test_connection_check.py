"""A pooled PostgreSQL connection the server closed is replaced before a request uses it,
and a healthy one is reused without a ping's round trip (lms/connection_check.py). The whole
restart, under gunicorn and load, is tests/test_load_faults.py's postgres-outage scenario."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, text

from lms.connection_check import check_on_checkout
from lms.db import make_engine

pytestmark = pytest.mark.backends("postgresql")  # SQLite has no connection to lose


def _backend_pid(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar()


def _counting_pings(engine, monkeypatch) -> list[int]:
    pings: list[int] = []
    ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping",
                        lambda dbapi_connection: pings.append(1) or ping(dbapi_connection))
    return pings


def _end_on_the_server(url: str, pid: int) -> None:
    """What a restart does to every connection: the server ends it. Returns once it is gone."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
            deadline = time.monotonic() + 30
            while connection.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"),
                                     {"pid": pid}).scalar():
                assert time.monotonic() < deadline, "the server did not end the connection"
    finally:
        admin.dispose()


@pytest.fixture
def engine(empty_database):
    """The app's own engine on a fresh database, disposed after the test."""
    engine = make_engine(empty_database)
    yield engine
    engine.dispose()


def test_a_connection_the_server_ended_is_replaced_before_use(engine, empty_database,
                                                              monkeypatch):
    pings = _counting_pings(engine, monkeypatch)
    ended = _backend_pid(engine)
    _end_on_the_server(empty_database, ended)
    assert _backend_pid(engine) != ended  # served on a new connection, no error
    assert pings == [1]


def test_a_healthy_connection_is_reused_without_a_ping(engine, monkeypatch):
    pings = _counting_pings(engine, monkeypatch)
    first = _backend_pid(engine)
    assert all(_backend_pid(engine) == first for _ in range(5))
    assert pings == []


def test_a_connection_idle_past_the_limit_is_pinged_first(empty_database, monkeypatch):
    """A firewall may drop an idle connection without a word to either end."""
    engine = create_engine(empty_database)
    check_on_checkout(engine, idle_ping_seconds=0)
    try:
        pings = _counting_pings(engine, monkeypatch)
        first = _backend_pid(engine)
        assert _backend_pid(engine) == first
        assert pings == [1]
    finally:
        engine.dispose()
