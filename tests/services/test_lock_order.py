"""PostgreSQL: a person's move and their own heartbeat or quiz submission at the same moment.

The move locks the person's row first (its UPDATE), then their clock, 学时 entries,
enrollments and progress. Before lms.services.locks, a heartbeat or a submission took those
first and the person's row last (for the counters), so the two deadlocked and PostgreSQL
aborted one: an acknowledged action failed with a 500. Now every unit of work takes the
person's row first, so the second one waits for the first and both complete. A publish that
completes the person's course is the same story one step earlier: it holds the course's
modules, so a heartbeat holds the module before the person.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from lms import create_app, migrate
from lms.content.loader import read_course
from lms.models import Enrollment, HoursEntry, Module, QuizAttempt, UnitHoursStats, User
from lms.services import accounts, catalog, people_admin, progress, quizzes, stats_rebuild
from lms.services.org import find_unit
from lms.services.study_time import Beat, record_beat
from lms.unit_of_work import unit_of_work
from tests.conftest import SEED_COURSES, load_course_folder, write_course_folder
from tests.seed import correct_form, module_files, module_slug
from tests.services.test_hours_counters_race import _waiting_on_a_lock
from tests.services.test_stats_counters import counters

ROOT = "锁序党委"
OLD, NEW = f"{ROOT}/第一党支部", f"{ROOT}/第二党支部"
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)

pytestmark = pytest.mark.slow


def _world(app) -> tuple[int, int, int]:
    """An admin, a trainee in OLD who has studied the first module (their clock, progress,
    enrollment and 学时 entry exist) and holds an open attempt at its quiz."""
    load_course_folder(app, SEED_COURSES / "jiceng-dangjian")
    slug = module_slug(module_files()[0])
    with app.app_context():
        state = app.extensions["lms"]
        session = state.sessionmaker()
        with unit_of_work(session):
            admin = accounts.create_user(session, username="order.admin", display_name="管",
                                         role="admin", password=None, unit_path=ROOT)
            person = accounts.create_user(session, username="order.person", display_name="甲",
                                          role="trainee", password=None, unit_path=OLD)
            accounts.create_user(session, username="order.other", display_name="乙",
                                 role="trainee", password=None, unit_path=NEW)
        module = session.scalar(select(Module).where(Module.slug == slug, Module.is_current))
        progress.record_visit(session, person, module)
        for seq in (1, 2):
            record_beat(session, person, module, Beat("tab", seq), beat_cap=40,
                        cap_multiple=100, now=START + timedelta(seconds=30 * seq))
        quizzes.start_or_resume(session, state.question_types, person, module)
        ids = admin.id, person.id, module.id
        session.close()
    return ids


def _heartbeat(app, person_id: int, module_id: int) -> None:
    session = app.extensions["lms"].sessionmaker()
    record_beat(session, session.get(User, person_id), session.get(Module, module_id),
                Beat("tab", 3), beat_cap=40, cap_multiple=100,
                now=START + timedelta(seconds=90))
    session.close()


def _submit(app, person_id: int, module_id: int) -> None:
    session = app.extensions["lms"].sessionmaker()
    person = session.get(User, person_id)
    attempt = session.scalar(select(QuizAttempt.id).where(QuizAttempt.user_id == person_id))
    _attempt, graded = quizzes.submit_attempt(session, app.extensions["lms"].question_types,
                                              person, attempt, correct_form(module_files()[0]))
    assert graded
    session.close()


@pytest.mark.backends("postgresql")  # SQLite serialises writers: the race needs PostgreSQL
@pytest.mark.parametrize("action", [_heartbeat, _submit], ids=["heartbeat", "quiz"])
def test_a_move_and_the_persons_own_action_both_complete(backend, empty_database, tmp_path,
                                                         action):
    app = create_app({"TESTING": True, "SECRET_KEY": "s", "LMS_DATABASE_URL": empty_database},
                     instance_path=str(tmp_path))
    migrate.upgrade(app.extensions["lms"].engine)
    admin_id, person_id, module_id = _world(app)
    done, errors, waited = threading.Event(), [], []

    def act() -> None:
        try:
            with app.app_context():
                action(app, person_id, module_id)
        except Exception as error:  # the test asserts below
            errors.append(error)
        finally:
            done.set()

    actor = threading.Thread(target=act)
    try:
        with app.app_context():
            session = app.extensions["lms"].sessionmaker()
            with unit_of_work(session):
                people_admin.move_person(session, session.get(User, admin_id),
                                         session.get(User, person_id), find_unit(session, NEW))
                actor.start()  # while the move holds the person's row, uncommitted
                # The action runs until it waits for a lock the move holds; only then does
                # the move go on to the person's clock, entries and progress (its handlers).
                waited.append(_waiting_on_a_lock(empty_database, done))
            session.close()
    except Exception as error:
        errors.append(error)
    finally:
        actor.join(timeout=30)
    assert errors == [] and waited == [True]

    with app.app_context():
        session = app.extensions["lms"].sessionmaker()
        units = {path: find_unit(session, path).id for path in (OLD, NEW)}
        assert session.get(User, person_id).org_unit_id == units[NEW]
        hours_rows = _hours(session)
        assert hours_rows and {unit for unit, _year, _kind in hours_rows} == {units[NEW]}
        kept = counters(session)
        with unit_of_work(session):
            stats_rebuild.rebuild(session)  # the completion and the 学时 counters
        assert counters(session) == kept and _hours(session) == hours_rows
        session.close()
    app.extensions["lms"].engine.dispose()


def _hours(session) -> dict[tuple[int, int, str], tuple[int, int]]:
    session.expire_all()
    return {(unit, year, kind): (quarters, entries) for unit, year, kind, quarters, entries in
            session.execute(select(UnitHoursStats.org_unit_id, UnitHoursStats.year,
                                   UnitHoursStats.kind, UnitHoursStats.quarter_hours,
                                   UnitHoursStats.entries))
            if quarters or entries}


@pytest.mark.backends("postgresql")
def test_a_publish_that_completes_a_course_and_a_heartbeat_both_complete(
        backend, empty_database, tmp_path):
    """A new version that drops the last module a trainee lacked completes their course (it
    locks them); their heartbeat at that moment starts a new year's 学时 entry (it references
    the course, which the publish holds) while holding their row."""
    app = create_app({"TESTING": True, "SECRET_KEY": "s", "LMS_DATABASE_URL": empty_database},
                     instance_path=str(tmp_path))
    migrate.upgrade(app.extensions["lms"].engine)
    folder = tmp_path / "course"
    write_course_folder(folder, slug="lock-publish", title="锁序课程",
                        modules=[{"slug": "read"}, {"slug": "more"}])
    load_course_folder(app, folder)
    types = app.extensions["lms"].question_types
    with app.app_context():
        session = app.extensions["lms"].sessionmaker()
        with unit_of_work(session):
            person = accounts.create_user(session, username="order.reader", display_name="丙",
                                          role="trainee", password=None, unit_path=OLD)
        read = session.scalar(select(Module).where(Module.slug == "read", Module.is_current))
        progress.record_visit(session, person, read)
        record_beat(session, person, read, Beat("tab", 1), beat_cap=40, cap_multiple=100,
                    now=START)
        person_id, read_id = person.id, read.id
        session.close()
    write_course_folder(folder, slug="lock-publish", title="锁序课程", modules=[{"slug": "read"}])
    (folder / "02-more.md").unlink()
    done, errors = threading.Event(), []

    def beat() -> None:
        try:
            with app.app_context():
                session = app.extensions["lms"].sessionmaker()
                record_beat(session, session.get(User, person_id), session.get(Module, read_id),
                            Beat("tab", 2), beat_cap=40, cap_multiple=100,
                            now=START + timedelta(days=365))
                session.close()
        except Exception as error:  # the test asserts below
            errors.append(error)
        finally:
            done.set()

    beater = threading.Thread(target=beat)
    try:
        with app.app_context():
            session = app.extensions["lms"].sessionmaker()
            with unit_of_work(session):
                catalog.upsert_course(session, read_course(folder, types))
                beater.start()  # while the publish holds the course, uncommitted
                _waiting_on_a_lock(empty_database, done)
            session.close()
    except Exception as error:
        errors.append(error)
    finally:
        beater.join(timeout=30)
    assert errors == []
    with app.app_context():
        session = app.extensions["lms"].sessionmaker()
        assert session.scalar(select(Enrollment.completed_at)
                              .where(Enrollment.user_id == person_id)) is not None
        assert session.execute(select(HoursEntry.year, HoursEntry.active_seconds)
                               .where(HoursEntry.user_id == person_id)).all() == [(2027, 40)]
        session.close()
    app.extensions["lms"].engine.dispose()
