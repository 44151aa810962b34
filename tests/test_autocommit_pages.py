"""On PostgreSQL a trainee's page reads without a transaction (no BEGIN and ROLLBACK round
trips), while every write it makes is still one transaction (lms.db.make_autocommit_sessionmaker).

The rest of the suite binds its sessions to one connection (SAVEPOINT isolation), where this
does not apply; these tests run the app on its own engine, as a server does.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, func, select

from lms.db import make_engine
from lms.models import ModuleProgress, QuizAttempt, StudyBeat, User
from lms.services import accounts
from lms.unit_of_work import unit_of_work
from tests.conftest import csrf_token, load_course_folder, sign_in, submit_quiz
from tests.seed import SEED, correct_form, module_files, module_slug

pytestmark = pytest.mark.backends("postgresql")  # SQLite's BEGIN costs no round trip

MODULE = f"/courses/jiceng-dangjian/modules/{module_slug(module_files()[0])}"


@pytest.fixture
def trainee_client(migrated_app):
    load_course_folder(migrated_app, SEED)
    with migrated_app.app_context():
        session = migrated_app.extensions["lms"].sessionmaker()
        with unit_of_work(session):
            accounts.create_user(session, username="li", display_name="李四", role="trainee",
                                 password="long-password-1", unit_path="党委/第一支部")
        session.close()
    client = migrated_app.test_client()
    assert sign_in(client, "li", "long-password-1").status_code == 302
    return client


def _statements_by_transaction(engine) -> list[tuple[bool, str]]:
    """(inside a transaction, statement) for each statement the app sends from now on."""
    seen: list[tuple[bool, str]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def note(connection, _cursor, statement, *_args):
        seen.append((not connection.connection.dbapi_connection.autocommit, statement))

    return seen


def _writes(seen: list[tuple[bool, str]]) -> list[bool]:
    """Whether each statement that writes or locks ran inside a transaction."""
    return [inside for inside, sql in seen
            if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "SAVEPOINT"))
            or " FOR UPDATE" in sql.upper()]


def test_a_revisit_reads_without_a_transaction_and_a_first_visit_writes_in_one(
        migrated_app, trainee_client):
    engine = migrated_app.extensions["lms"].engine
    seen = _statements_by_transaction(engine)
    assert trainee_client.get(MODULE).status_code == 200  # first visit: starts the module
    writes = _writes(seen)
    assert writes and all(writes), "a first visit's writes ran outside a transaction"
    with engine.connect() as connection:  # committed: another connection sees it
        assert connection.scalar(select(func.count()).select_from(ModuleProgress)) == 1

    seen.clear()
    assert trainee_client.get(MODULE).status_code == 200
    assert seen and not any(inside for inside, _ in seen), "a revisit opened a transaction"

    token = csrf_token(trainee_client, MODULE)
    seen.clear()  # a heartbeat reads who is asking without one, then writes in one
    beat = trainee_client.post(f"{MODULE}/beat", json={"tab": "t1", "seq": 1},
                               headers={"X-CSRFToken": token})
    assert beat.status_code == 200
    writes = _writes(seen)
    assert not seen[0][0] and writes and all(writes)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(StudyBeat)) == 1

    page = trainee_client.get(f"{MODULE}/quiz").get_data(as_text=True)  # opens an attempt
    attempt_id = int(re.search(r'data-attempt="(\d+)"', page).group(1))
    seen.clear()  # the autosave too: reads who is asking without one, locks and writes in one
    saved = trainee_client.post(f"/attempts/{attempt_id}/draft", json={"answers": {"q1": ["0"]}},
                                headers={"X-CSRFToken": token})
    assert saved.status_code == 200
    writes = _writes(seen)
    assert not seen[0][0] and writes and all(writes)
    with engine.connect() as connection:
        assert connection.scalar(select(QuizAttempt.draft))["q1"] == ["0"]


def test_a_unit_in_a_page_session_is_all_or_nothing(migrated_app):
    state = migrated_app.extensions["lms"]
    with migrated_app.app_context():
        session = state.page_sessionmaker()
        with pytest.raises(RuntimeError, match="half way"), unit_of_work(session):
            session.add(User(username="halfway", display_name="半途", role="trainee"))
            session.flush()  # sent to the server, inside the unit's transaction
            raise RuntimeError("half way")
        assert session.scalar(select(func.count()).where(User.username == "halfway")) == 0
        session.close()


def test_a_write_outside_a_unit_is_refused_in_a_page_session(migrated_app):
    state = migrated_app.extensions["lms"]
    with migrated_app.app_context():
        session = state.page_sessionmaker()
        session.add(User(username="stray", display_name="游离", role="trainee"))
        with pytest.raises(RuntimeError, match="outside a unit of work"):
            session.flush()
        session.rollback()
        assert session.scalar(select(func.count()).where(User.username == "stray")) == 0
        session.close()


def test_every_trainee_page_serves_from_a_page_session(migrated_app, trainee_client):
    """Home, course, module, quiz (which opens an attempt), the attempt after submitting,
    record, certificates and notices: each a 200 read without a transaction. Opening and
    submitting the quiz write in transactions, committed."""
    engine = migrated_app.extensions["lms"].engine
    quiz_url = f"{MODULE}/quiz"
    seen = _statements_by_transaction(engine)
    submitted = submit_quiz(trainee_client, quiz_url, correct_form(module_files()[0]))
    assert submitted.status_code == 303
    writes = _writes(seen)
    assert writes and all(writes), "opening or submitting the quiz wrote outside a transaction"
    with engine.connect() as connection:
        assert connection.scalar(select(QuizAttempt.passed)) is True
    pages = ["/", "/courses/jiceng-dangjian", MODULE, submitted.headers["Location"],
             "/record", "/certificates", "/notices"]
    for page in pages:
        seen.clear()
        response = trainee_client.get(page)
        assert response.status_code == 200, page
        assert seen and not any(inside for inside, _ in seen), f"{page} opened a transaction"
    seen.clear()
    assert trainee_client.get(quiz_url).status_code == 200  # a second attempt: a write
    assert any(inside for inside, _ in seen) and not all(inside for inside, _ in seen)


def test_a_stricter_engine_keeps_page_reads_in_transactions(migrated_app, trainee_client):
    """A host whose engine asks for REPEATABLE READ gets its snapshots: reading without a
    transaction would answer differently there."""
    state = migrated_app.extensions["lms"]
    strict = make_engine(state.engine.url.render_as_string(hide_password=False),
                         isolation_level="REPEATABLE READ")
    state.bind(strict)
    try:
        seen = _statements_by_transaction(strict)
        for _ in range(2):  # a first visit, then a revisit that only reads
            seen.clear()
            assert trainee_client.get(MODULE).status_code == 200
            assert seen and all(inside for inside, _ in seen), "a page read outside one"
    finally:
        state.bind(state.engine)
        strict.dispose()
