"""Shared fixtures: one app per database backend, SAVEPOINT isolation per test.

Every test that takes ``app`` (or anything built on it) runs on SQLite and on PostgreSQL.
PostgreSQL is skipped when ``LMS_TEST_POSTGRES_URL`` is unset, unless
``LMS_TEST_REQUIRE_POSTGRES=1`` (CI), where its absence is a failure. In CI
(``LMS_TEST_STRICT=1``) every other skip is a failure too: see ``tests/strict_skips.py``.
``make test`` runs on pytest-xdist workers; each tests on its own PostgreSQL database
(``worker_database``) and its own temp folders, so nothing a test writes is shared.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.orm.attributes import set_committed_value

from lms import create_app, migrate
from lms.content.loader import read_course
from lms.models import Role, User
from lms.services import accounts, catalog
from lms.unit_of_work import unit_of_work
from tests.strict_skips import (  # noqa: F401 (hooks, found by name)
    pytest_collection_modifyitems,
    pytest_configure,
    pytest_make_collect_report,
    pytest_runtest_makereport,
    skip_locally,
)

ROOT = Path(__file__).resolve().parent.parent
SEED_COURSES = ROOT / "courses"
TEST_COURSES = Path(__file__).resolve().parent / "data" / "courses"
BACKENDS = ["sqlite", "postgresql"]
TEST_HASH_METHOD = "scrypt:1024:8:1"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
QUIZ_ACTION = re.compile(r'<form method="post" class="quiz" id="quiz-form"\s+action="([^"]+)"')


def postgres_url() -> str | None:
    url = os.environ.get("LMS_TEST_POSTGRES_URL")
    if not url and os.environ.get("LMS_TEST_REQUIRE_POSTGRES") == "1":
        pytest.fail("LMS_TEST_REQUIRE_POSTGRES=1 but LMS_TEST_POSTGRES_URL is not set")
    return url


def worker_database(url: str) -> str:
    """This pytest-xdist worker's own database on ``url``'s server, created on first use.

    Each worker drops and re-migrates the schema of the database it tests on, so two workers
    must never share one. Without xdist the database ``url`` names is used as it is.
    """
    from sqlalchemy import create_engine, make_url

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                     {"name": name}):
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


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
        # The suite makes many people: OWASP's scrypt (0.4 s a hash) would add minutes.
        # tests/auth/test_password_hashing.py checks the real default.
        "LMS_PASSWORD_HASH_METHOD": TEST_HASH_METHOD,
        # The suite signs in a lot; tests/auth/test_rate_limits.py turns the limits on.
        "LMS_RATELIMIT_ENABLED": False,
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
        with unit_of_work(session):
            catalog.upsert_course(session, course_file)


@pytest.fixture
def empty_database(backend, tmp_path) -> Iterator[str]:
    """The URL of a brand-new, empty database on the test's backend, dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    base = postgres_url()
    if not base:
        skip_locally("PostgreSQL not available (set LMS_TEST_POSTGRES_URL)")
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


@pytest.fixture
def migrated_app(empty_database, tmp_path) -> Iterator[Flask]:
    """A standalone app on a brand-new database at the newest schema: a migration test writes
    rows, downgrades past its migration and upgrades again. Its engine is disposed after."""
    app = build_app(empty_database, tmp_path)
    migrate.upgrade(app.extensions["lms"].engine)
    yield app
    app.extensions["lms"].engine.dispose()


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
                skip_locally("PostgreSQL not available (set LMS_TEST_POSTGRES_URL)")
            url = worker_database(url)
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
            with unit_of_work(session):
                user = accounts.create_user(session, username=username, display_name=name,
                                            role=role, password=password, unit_path=unit)
        return user, password

    return make


@pytest.fixture
def grant(app):
    """Give a user a scoped grant: ``grant(user, unit="党委/…")``, ``course="slug"`` or
    ``site=True``."""
    from lms.services import grants

    def give(user: User, *, unit: str | None = None, course: str | None = None,
             site: bool = False) -> None:
        with app.app_context():
            session = app.extensions["lms"].session()
            target = grants.find_target(session, unit_path=unit, course_slug=course, site=site)
            grants.grant(session, session.get(User, user.id), target)
        # The test's own copy of the person now says what their row says, as the next
        # request's fresh read would.
        set_committed_value(user, "has_grants", True)

    return give


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


@dataclass
class MadeModule:
    slug: str
    title: str
    questions: list[dict[str, Any]]
    url: str
    quiz_url: str


@dataclass
class MadeCourse:
    slug: str
    title: str
    folder: Path
    url: str
    modules: list[MadeModule] = field(default_factory=list)


_course_numbers = itertools.count(1)


def write_course_folder(folder: Path, *, slug: str, title: str, modules: list[dict[str, Any]],
                        pass_mark: int = 60, **course_keys: Any) -> MadeCourse:
    """Write ``course.yml`` and one Markdown file per module, as a trainer would.

    Each module is a dict with optional ``slug``, ``title``, ``text``, ``minutes``,
    ``required``, ``pass_mark``, ``quiz`` (settings) and ``questions`` (as written in a
    ```quiz block).
    """
    folder.mkdir(parents=True, exist_ok=True)
    made = MadeCourse(slug=slug, title=title, folder=folder, url=f"/courses/{slug}")
    names = []
    for number, module in enumerate(modules, start=1):
        module = dict(module)
        questions = module.pop("questions", [])
        text = module.pop("text", f"第{number}节的学习内容。")
        front = {"slug": module.pop("slug", f"m{number}"),
                 "title": module.pop("title", f"第{number}节"),
                 "minutes": module.pop("minutes", 5), **module}
        body = f"---\n{yaml.safe_dump(front, allow_unicode=True, sort_keys=False)}---\n{text}\n"
        if questions:
            block = yaml.safe_dump(questions, allow_unicode=True, sort_keys=False)
            body += f"\n```quiz\n{block}```\n"
        name = f"{number:02d}-{front['slug']}.md"
        (folder / name).write_text(body, "utf-8")
        names.append(name)
        url = f"{made.url}/modules/{front['slug']}"
        made.modules.append(MadeModule(front["slug"], front["title"], questions, url,
                                       f"{url}/quiz"))
    course = {"slug": slug, "title": title, "pass_mark": pass_mark, **course_keys,
              "modules": names}
    (folder / "course.yml").write_text(
        yaml.safe_dump(course, allow_unicode=True, sort_keys=False), "utf-8")
    return made


@pytest.fixture
def make_course(app, tmp_path):
    """Build a course folder from parameters and load it the way the seed course is loaded.

    ``make_course(modules=[{"questions": [...]}, {"text": "只读"}], slug=…, title=…,
    pass_mark=…)`` returns a ``MadeCourse`` with each module's URLs. The course lives in this
    test's transaction, so tests stop depending on the seed course's counts.
    """

    def make(modules: list[dict[str, Any]] | None = None, *, slug: str | None = None,
             title: str | None = None, pass_mark: int = 60, **course_keys: Any) -> MadeCourse:
        number = next(_course_numbers)
        slug = slug or f"made-{number}"
        made = write_course_folder(tmp_path / "courses" / slug, slug=slug,
                                   title=title or f"测试课程{number}",
                                   modules=modules if modules is not None else [{}],
                                   pass_mark=pass_mark, **course_keys)
        load_course_folder(app, made.folder)
        return made

    return make


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
