"""PostgreSQL: an offline entry recorded while its person is being moved counts in the new unit.

The move's recount cannot see an entry another transaction has not committed yet, so the
entry's own count has to wait for the move (it locks the person's row) and read the new unit.
"""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from sqlalchemy import create_engine, select, text

from lms import create_app, migrate
from lms.models import UnitHoursStats, User
from lms.services import accounts, hours_entries, people_admin
from lms.services.org import find_unit
from lms.unit_of_work import unit_of_work

ROOT = "竞态党委"
OLD, NEW = f"{ROOT}/第一党支部", f"{ROOT}/第二党支部"

pytestmark = pytest.mark.slow


def _people(app) -> tuple[int, int]:
    with app.app_context():
        session = app.extensions["lms"].sessionmaker()
        with unit_of_work(session):
            admin = accounts.create_user(session, username="race.admin", display_name="管",
                                         role="admin", password=None, unit_path=ROOT)
            person = accounts.create_user(session, username="race.person", display_name="甲",
                                          role="trainee", password=None, unit_path=OLD)
            accounts.create_user(session, username="race.other", display_name="乙",
                                 role="trainee", password=None, unit_path=NEW)
        ids = admin.id, person.id
        session.close()
    return ids


def _waiting_on_a_lock(url: str, done: threading.Event, timeout: float = 10) -> bool:
    """True once some backend waits for a row lock (or ``done`` is set first: False)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and not done.is_set():
                if connection.scalar(text("select count(*) from pg_stat_activity "
                                          "where wait_event_type = 'Lock'")):
                    return True
                connection.rollback()
                time.sleep(0.05)
    finally:
        engine.dispose()
    return False


@pytest.mark.backends("postgresql")  # SQLite serialises writers: the race needs PostgreSQL
def test_an_entry_recorded_during_a_move_is_counted_in_the_new_unit(backend, empty_database,
                                                                    tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "s", "LMS_DATABASE_URL": empty_database},
                     instance_path=str(tmp_path))
    migrate.upgrade(app.extensions["lms"].engine)
    admin_id, person_id = _people(app)
    recorded, commit, errors = threading.Event(), threading.Event(), []

    def record() -> None:
        try:
            with app.app_context():
                session = app.extensions["lms"].sessionmaker()
                with unit_of_work(session):
                    hours_entries.record_offline(
                        session, session.get(User, admin_id), session.get(User, person_id),
                        "central", "1.5", "党支部书记集中轮训", date(2026, 4, 1))
                    recorded.set()
                    commit.wait(10)
                session.close()
        except Exception as error:  # the test asserts below
            errors.append(error)
            recorded.set()

    recorder = threading.Thread(target=record)
    try:
        with app.app_context():
            session = app.extensions["lms"].sessionmaker()
            with unit_of_work(session):
                people_admin.move_person(session, session.get(User, admin_id),
                                         session.get(User, person_id), find_unit(session, NEW))
                recorder.start()  # while the move is not committed yet
                _waiting_on_a_lock(empty_database, recorded)
            units = {path: find_unit(session, path).id for path in (OLD, NEW)}
            session.close()
    finally:
        commit.set()
        if recorder.ident is not None:  # started
            recorder.join(timeout=20)
    assert errors == []
    with app.app_context():
        session = app.extensions["lms"].sessionmaker()
        rows = {(unit, kind): (quarters, entries) for unit, kind, quarters, entries in
                session.execute(select(UnitHoursStats.org_unit_id, UnitHoursStats.kind,
                                       UnitHoursStats.quarter_hours, UnitHoursStats.entries))
                if quarters or entries}
        session.close()
    app.extensions["lms"].engine.dispose()
    assert rows == {(units[NEW], "central"): (6, 1)}  # nothing left in the old unit
