"""Shared fixtures: one app per database backend, SAVEPOINT isolation per test.

Every test that takes ``app`` (or anything built on it) runs on SQLite and on PostgreSQL.
PostgreSQL is skipped when ``LMS_TEST_POSTGRES_URL`` is unset, unless
``LMS_TEST_REQUIRE_POSTGRES=1`` (CI), where its absence is a failure.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from lms import create_app, migrate
from lms.content.loader import read_course
from lms.db import write_transaction
from lms.models import Role, User
from lms.services import accounts, catalog

ROOT = Path(__file__).resolve().parent.parent
SEED_COURSES = ROOT / "courses"
TEST_COURSES = Path(__file__).resolve().parent / "data" / "courses"
BACKENDS = ["sqlite", "postgresql"]
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
QUIZ_ACTION = re.compile(r'<form method="post" class="quiz" id="quiz-form"\s+action="([^"]+)"')


def postgres_url() -> str | None:
    url = os.environ.get("LMS_TEST_POSTGRES_URL")
    if not url and os.environ.get("LMS_TEST_REQUIRE_POSTGRES") == "1":
        pytest.fail("LMS_TEST_REQUIRE_POSTGRES=1 but LMS_TEST_POSTGRES_URL is not set")
    return url


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def build_app(url: str, instance: Path, **extra) -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "LMS_DATABASE_URL": url,
        "LMS_COURSES_DIR": str(SEED_COURSES),
        **extra,
    }
    app = create_app(config)
    app.instance_path = str(instance)
    return app


def load_course_folder(app: Flask, folder: Path) -> None:
    state = app.extensions["lms"]
    with app.app_context():
        session = state.session()
        course_file = read_course(folder, state.question_types)
        with write_transaction(session):
            catalog.upsert_course(session, course_file)


@pytest.fixture
def empty_database(backend, tmp_path) -> Iterator[str]:
    """The URL of a brand-new, empty database on the test's backend, dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    base = postgres_url()
    if not base:
        pytest.skip("PostgreSQL not available (set LMS_TEST_POSTGRES_URL)")
    from sqlalchemy import create_engine

    name = f"lms_empty_{os.getpid()}_{abs(hash(tmp_path)) % 10**8}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield base.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture(scope="session")
def backend_apps(tmp_path_factory) -> Iterator[dict[str, Flask]]:
    """Migrated apps, built lazily per backend, with the seed and test courses loaded."""
    apps: dict[str, Flask] = {}

    def get(backend: str) -> Flask:
        if backend in apps:
            return apps[backend]
        if backend == "sqlite":
            folder = tmp_path_factory.mktemp("sqlite")
            url = f"sqlite:///{folder / 'lms.sqlite3'}"
        else:
            url = postgres_url()
            if not url:
                pytest.skip("PostgreSQL not available (set LMS_TEST_POSTGRES_URL)")
            reset_postgres(url)
            folder = tmp_path_factory.mktemp("postgresql")
        app = build_app(url, folder)
        migrate.upgrade(app.extensions["lms"].engine)
        for course in sorted(SEED_COURSES.glob("*/course.yml")) + sorted(
                TEST_COURSES.glob("*/course.yml")):
            load_course_folder(app, course.parent)
        apps[backend] = app
        return app

    yield get  # type: ignore[misc]
    for app in apps.values():
        app.extensions["lms"].engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def app(backend_apps, backend) -> Iterator[Flask]:
    """The backend's app with every write of this test rolled back afterwards."""
    app = backend_apps(backend)
    state = app.extensions["lms"]
    connection = state.engine.connect()
    outer = connection.begin()
    state.bind(connection)
    try:
        yield app
    finally:
        state.bind(state.engine)
        outer.rollback()
        connection.close()


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    """A session on the test's connection, for service-level tests and checks.

    No app context is kept pushed: requests made by the test client must get their own, as
    they do in production.
    """
    session = app.extensions["lms"].sessionmaker()
    try:
        yield session
    finally:
        session.close()


@pytest.fixture
def make_user(app):
    """Create a user; returns ``(user, password)``."""
    counter = iter(range(1, 10_000))

    def make(role: Role | str = Role.TRAINEE, unit: str | None = "测试党委/第一党总支/第一党支部",
             username: str | None = None, name: str = "测试学员",
             password: str = "correct-horse-1") -> tuple[User, str]:
        username = username or f"{Role(role).value}{next(counter)}"
        with app.app_context():
            session = app.extensions["lms"].session()
            with write_transaction(session):
                user = accounts.create_user(session, username=username, display_name=name,
                                            role=role, password=password, unit_path=unit)
        return user, password

    return make


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    page = client.get(path)
    match = CSRF_META.search(page.get_data(as_text=True))
    assert match, f"no csrf meta tag on {path} (status {page.status_code})"
    return match.group(1)


def sign_in(client: FlaskClient, username: str, password: str, prefix: str = ""):
    token = csrf_token(client, f"{prefix}/login")
    return client.post(f"{prefix}/login", data={"username": username, "password": password,
                                                "csrf_token": token})


@pytest.fixture
def login_as(client, make_user):
    """Sign the test client in as a new user of ``role``; returns the user."""

    def login(role: Role | str = Role.TRAINEE, **kwargs) -> User:
        user, password = make_user(role, **kwargs)
        response = sign_in(client, user.username, password)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return login


def post_form(client: FlaskClient, path: str, data: dict, token_from: str | None = None):
    """POST a form the way a browser would, with the CSRF token from a page."""
    token = csrf_token(client, token_from or path)
    return client.post(path, data={**data, "csrf_token": token})


def start_quiz(client: FlaskClient, quiz_url: str) -> str:
    """Open a quiz page (starting or resuming an attempt); return its submit URL."""
    page = client.get(quiz_url)
    match = QUIZ_ACTION.search(page.get_data(as_text=True))
    assert match, f"no quiz form at {quiz_url} (status {page.status_code})"
    return match.group(1)


def submit_quiz(client: FlaskClient, quiz_url: str, data: dict, action: str | None = None):
    action = action or start_quiz(client, quiz_url)
    home = quiz_url.split("/courses/")[0] + "/"  # not the quiz page: that would start an attempt
    return client.post(action, data={**data, "csrf_token": csrf_token(client, home)})
