"""A real ``redis-server`` for the rate-limit tests, and apps with the limits turned on.

The server is Debian's (``scripts/ensure-redis``), started once per test process on a free
loopback port with no persistence, and stopped by its pid. Without it the tests skip, which
strict CI (``LMS_TEST_STRICT``) turns into failures.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from lms import create_app

STORAGES = ["memory", "redis"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _poll(condition: Callable[[], object], seconds: float, what: str) -> object:
    """Return ``condition()``'s first true value, checking every 20 ms until the deadline."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} within {seconds} s")
        time.sleep(0.02)


def _our_server_answers(url: str, pidfile: Path) -> int | None:
    """The daemon's pid once it answers on ``url`` (and is ours, not another on that port)."""
    import redis

    if not pidfile.exists() or not pidfile.read_text().strip():
        return None
    pid = int(pidfile.read_text())
    try:
        info = redis.Redis.from_url(url, socket_timeout=0.5).info("server")
    except redis.exceptions.ConnectionError:
        return None
    return pid if info.get("process_id") == pid else None


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (scripts/ensure-redis installs it)")
    folder = tmp_path_factory.mktemp("redis")
    port = _free_port()
    pidfile = folder / "redis.pid"
    subprocess.run([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no", "--daemonize", "yes", "--pidfile", str(pidfile),
                    "--dir", str(folder), "--logfile", str(folder / "redis.log")], check=True)
    url = f"redis://127.0.0.1:{port}/0"
    pid = _poll(lambda: _our_server_answers(url, pidfile), 10, "redis-server did not answer")
    try:
        yield url
    finally:
        os.kill(pid, signal.SIGTERM)
        _poll(lambda: _gone(pid), 10, "redis-server did not stop")


@pytest.fixture(params=STORAGES)
def storage_uri(request) -> str:
    return "memory://" if request.param == "memory" else request.getfixturevalue("redis_url")


@pytest.fixture
def limited_app(app, storage_uri) -> Iterator[Callable[..., Flask]]:
    """``limited_app(**settings)``: an app with the limits on, on ``app``'s test connection.

    Users made with ``make_user`` are seen by it; its counts start empty (Redis is flushed).
    """
    made: list[Flask] = []

    def make(**settings) -> Flask:
        keep = ("TESTING", "SECRET_KEY", "LMS_DATABASE_URL", "LMS_COURSES_DIR",
                "LMS_PASSWORD_HASH_METHOD")
        limited = create_app({**{name: app.config[name] for name in keep},
                              "LMS_RATELIMIT_ENABLED": True,
                              "LMS_RATELIMIT_STORAGE_URI": storage_uri, **settings})
        state = limited.extensions["lms"]
        state.bind(app.extensions["lms"].sessionmaker.kw["bind"])
        if state.limiter is not None and "LMS_RATELIMIT_STORAGE_URI" not in settings:
            state.limiter.reset()
        made.append(limited)
        return limited

    yield make
    for limited in made:
        limited.extensions["lms"].engine.dispose()
