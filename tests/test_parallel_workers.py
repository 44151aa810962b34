"""Parallel test workers (pytest-xdist) never share a PostgreSQL database: each worker drops
and re-migrates the schema it tests on, which would pull the tables from under another."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, make_url, text

from tests.conftest import postgres_url, worker_database
from tests.strict_skips import skip_locally


@pytest.mark.backends("postgresql")
def test_each_worker_tests_on_its_own_database(backend, monkeypatch):
    base = postgres_url()
    if not base:
        skip_locally("PostgreSQL not available (set LMS_TEST_POSTGRES_URL)")
    name = f"{make_url(base).database}_gw97"
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw97")
    url = worker_database(base)
    try:
        engine = create_engine(url)
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT current_database()")) == name
        engine.dispose()
        assert worker_database(base) == url  # the next session of that worker finds it
        monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw98")
        assert make_url(worker_database(base)).database != name
    finally:
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for worker in ("gw97", "gw98"):
                connection.execute(text(
                    f'DROP DATABASE IF EXISTS "{make_url(base).database}_{worker}" WITH (FORCE)'))
        admin.dispose()
    monkeypatch.delenv("PYTEST_XDIST_WORKER")
    assert worker_database(base) == base  # one process: the database the URL names
