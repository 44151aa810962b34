"""Several worker processes writing at once: no lock errors, no duplicate rows."""

from __future__ import annotations

import multiprocessing

import pytest
from sqlalchemy import create_engine, func, select

from lms import create_app, migrate
from lms.services import stats_rebuild
from lms.unit_of_work import unit_of_work
from tests.conftest import QUIZ_ACTION, SEED_COURSES, TEST_HASH_METHOD, load_course_folder
from tests.seed import correct_form, module_files, module_slug
from tests.services.test_stats_counters import counters

WORKERS = 4
ROUNDS = 3

pytestmark = pytest.mark.slow


def _worker(url: str, worker: int, usernames: list[str], queue) -> None:
    """Sign in as each user, visit a module and submit its quiz, twice with one token."""
    try:
        app = create_app({"TESTING": True, "SECRET_KEY": "s", "LMS_DATABASE_URL": url,
                          "LMS_PASSWORD_HASH_METHOD": TEST_HASH_METHOD,
                          "WTF_CSRF_ENABLED": False})
        path = module_files()[0]
        slug = module_slug(path)
        errors = []
        for _round in range(ROUNDS):
            for username in usernames:
                client = app.test_client()
                response = client.post("/login", data={"username": username,
                                                        "password": "pass-word-1"})
                if response.status_code != 302:
                    errors.append(f"login {response.status_code}")
                    continue
                base = f"/courses/jiceng-dangjian/modules/{slug}"
                for response in (client.get(base), client.get(base)):
                    if response.status_code != 200:
                        errors.append(f"visit {response.status_code}")
                page = client.get(base + "/quiz").get_data(as_text=True)
                match = QUIZ_ACTION.search(page)
                if match is None:
                    errors.append("no quiz form")
                    continue
                for _ in range(2):  # a double-tapped submit button
                    response = client.post(match.group(1), data=correct_form(path))
                    if response.status_code != 303:
                        errors.append(f"submit {response.status_code}")
        queue.put(errors)
    except Exception as error:  # report, the parent asserts
        queue.put([repr(error)])


def _prepare(url: str, tmp_path) -> list[str]:
    app = create_app({"TESTING": True, "SECRET_KEY": "s", "LMS_DATABASE_URL": url,
                      "LMS_PASSWORD_HASH_METHOD": TEST_HASH_METHOD},
                     instance_path=str(tmp_path))
    migrate.upgrade(app.extensions["lms"].engine)
    load_course_folder(app, SEED_COURSES / "jiceng-dangjian")
    usernames = [f"racer{i}" for i in range(3)]
    runner = app.test_cli_runner()
    for name in usernames:
        result = runner.invoke(args=["lms", "create-user", name, "--name", name,
                                     "--unit", "并发党委/第一党支部", "--password-stdin"],
                               input="pass-word-1\n")
        assert result.exit_code == 0, result.output
    app.extensions["lms"].engine.dispose()
    return usernames


def test_parallel_workers_write_without_errors_or_duplicates(empty_database, tmp_path):
    url = empty_database
    usernames = _prepare(url, tmp_path)

    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    processes = [context.Process(target=_worker, args=(url, n, usernames, queue))
                 for n in range(WORKERS)]
    for process in processes:
        process.start()
    errors = [error for _ in processes for error in queue.get(timeout=300)]
    for process in processes:
        process.join(timeout=60)
    assert errors == []

    from lms.models import Enrollment, ModuleProgress, QuizAttempt

    engine = create_engine(url)
    with engine.connect() as connection:
        def count(model):
            return connection.scalar(select(func.count()).select_from(model))

        assert count(ModuleProgress) == len(usernames)
        assert count(Enrollment) == len(usernames)
        # Workers racing on one trainee may share an open attempt, so there are at most
        # WORKERS * ROUNDS attempts per trainee, each graded once and numbered without gaps.
        assert count(QuizAttempt) <= WORKERS * ROUNDS * len(usernames)
        numbers = connection.execute(
            select(QuizAttempt.user_id, QuizAttempt.number)
        ).all()
        assert len(set(numbers)) == len(numbers)
        for user_id in {n[0] for n in numbers}:
            mine = sorted(n[1] for n in numbers if n[0] == user_id)
            assert mine == list(range(1, len(mine) + 1))
        statuses = connection.execute(select(QuizAttempt.status, QuizAttempt.submitted_at)).all()
        assert all(status == "graded" and submitted for status, submitted in statuses)
    engine.dispose()
    # The counters every worker moved in its own transactions add up to a recount.
    app = create_app({"TESTING": True, "SECRET_KEY": "s", "LMS_DATABASE_URL": url,
                      "LMS_PASSWORD_HASH_METHOD": TEST_HASH_METHOD},
                     instance_path=str(tmp_path))
    with app.app_context():
        session = app.extensions["lms"].session()
        kept = counters(session)
        # Rows count subtrees: the 党委's row (the largest) holds every racer.
        assert max(v[0] for v in kept["lms_course_unit_stats"].values()) == len(usernames)
        with unit_of_work(session):
            stats_rebuild.rebuild(session)
        assert counters(session) == kept
        session.close()
    app.extensions["lms"].engine.dispose()
