"""Browser fixtures: a live standalone app on a free port and Debian's chromium via Playwright.

The suite is skipped when /usr/bin/chromium is missing, unless ``LMS_TEST_REQUIRE_BROWSER=1``
(CI), where its absence is a failure. Playwright's own browser downloads are never used.
Tests wait on conditions (``expect``, ``wait_for_url``, ``wait_for_js``), never on a
network event alone or a fixed sleep: a busy CI machine runs quiz.js late. Pages run under the
LMS's Content-Security-Policy, which forbids inline script and eval: Playwright's
``wait_for_function`` and ``add_script_tag`` are blocked by it, ``page.evaluate`` is not.
"""

from __future__ import annotations

import itertools
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from flask import Flask
from playwright.sync_api import expect
from werkzeug.serving import make_server

from lms import create_app, migrate
from tests.conftest import TEST_HASH_METHOD

ROOT = Path(__file__).resolve().parents[2]
COURSES_DIR = ROOT / "courses"
SEED_COURSE = COURSES_DIR / "jiceng-dangjian"
# Babel resolves zh_CN to zh_Hans_CN, so a catalogue may live under any of these names.
ZH_MOS = [ROOT / "lms" / "translations" / name / "LC_MESSAGES" / "messages.mo"
          for name in ("zh_CN", "zh_Hans_CN", "zh_Hans", "zh")]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "password123"
# Generous, because CI machines are busy: tests wait on conditions, so this only bounds a failure.
TIMEOUT_MS = 20_000
expect.set_options(timeout=TIMEOUT_MS)


def wait_for_js(page, expression: str) -> None:
    """Poll ``expression`` until it is truthy (``wait_for_function`` would need eval)."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"gave up waiting for {expression}"
        page.wait_for_timeout(50)


QUIZ_BLOCK = re.compile(r"^```quiz[ \t]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.DOTALL)


@dataclass
class LiveServer:
    url: str
    username: str
    password: str
    app: Flask
    create_trainee: Callable[[str], tuple[str, str]]


def _create_trainee(app: Flask, username: str, name: str = "张三") -> tuple[str, str]:
    result = app.test_cli_runner().invoke(
        args=["lms", "create-user", username, "--role", "trainee",
              "--unit", "党委/第一党总支/第一党支部", "--name", name, "--password-stdin"],
        input=f"{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    return username, PASSWORD


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The standalone app on a fresh SQLite file, seed course loaded, served from a thread."""
    folder = tmp_path_factory.mktemp("live")
    app = create_app({"LMS_DATABASE_URL": f"sqlite:///{folder / 'lms.sqlite3'}",
                      "SECRET_KEY": "browser-test-secret", "LMS_COURSES_DIR": str(COURSES_DIR),
                      "LMS_PASSWORD_HASH_METHOD": TEST_HASH_METHOD})
    app.instance_path = str(folder)
    migrate.upgrade(app.extensions["lms"].engine)
    loaded = app.test_cli_runner().invoke(args=["lms", "load-courses"])
    assert loaded.exit_code == 0, loaded.output
    username, password = _create_trainee(app, "zhangsan")

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="lms-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", username=username,
                         password=password, app=app,
                         create_trainee=lambda name: _create_trainee(app, name))
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.extensions["lms"].engine.dispose()


@pytest.fixture
def live_config(live_server, monkeypatch) -> Callable[..., None]:
    """Set LMS_* settings on the live app for one test, restored afterwards. Only settings
    read per request take effect (LMS_STUDY_BEAT_SECONDS is; the database URL is not)."""

    def configure(**settings: object) -> None:
        for name, value in settings.items():
            monkeypatch.setitem(live_server.app.config, name, value)

    return configure


_usernames = itertools.count(1)


def create_staff(live_server, role: str, name: str) -> tuple[str, str]:
    """A new account of ``role`` (``admin`` without a unit is a site administrator)."""
    username = f"{role}-{next(_usernames)}"
    result = live_server.app.test_cli_runner().invoke(
        args=["lms", "create-user", username, "--role", role, "--name", name,
              "--password-stdin"], input=f"{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    return username, PASSWORD


@pytest.fixture
def fresh_trainee(live_server) -> tuple[str, str]:
    """A trainee nobody else has used, so progress starts at zero."""
    return live_server.create_trainee(f"trainee{next(_usernames)}")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("LMS_TEST_REQUIRE_BROWSER") == "1":
            pytest.fail(f"LMS_TEST_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser) -> Iterator[Callable]:
    """Open a page in a fresh context (own cookies) with the given viewport size."""
    contexts = []

    def open_page(width: int, height: int):
        context = browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def zh_compiled() -> bool:
    """The Chinese catalogue is compiled (it is committed), so visible Chinese text is checked."""
    assert any(mo.exists() for mo in ZH_MOS), "no compiled Chinese catalogue: run `make messages`"
    return True


@dataclass
class ModuleQuiz:
    slug: str
    title: str
    questions: list[dict]


def read_seed_quizzes() -> list[ModuleQuiz]:
    """The seed course's modules in course order, with each quiz block parsed from the file."""
    course = yaml.safe_load((SEED_COURSE / "course.yml").read_text(encoding="utf-8"))
    modules = []
    for name in course["modules"]:
        text = (SEED_COURSE / name).read_text(encoding="utf-8")
        front = yaml.safe_load(FRONT_MATTER.match(text).group(1))
        block = QUIZ_BLOCK.search(text)
        questions = yaml.safe_load(block.group(1)) if block else []
        modules.append(ModuleQuiz(front["slug"], front["title"], questions))
    return modules


@pytest.fixture(scope="session")
def seed_quizzes() -> list[ModuleQuiz]:
    return read_seed_quizzes()
