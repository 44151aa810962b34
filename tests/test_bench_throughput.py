"""The throughput bench's requests are ones the real server accepts (no wrk needed).

``make bench`` replays prepared requests with wrk and counts only their rate, so a request
that the app refuses (a stale CSRF token, a moved URL, an answer missing from a submission)
would be measured as a fast error page. Here the same preparation runs against gunicorn with
a few trainees, and every prepared request is sent once by the harness's own Python client:
each must get the status wrk's scripts count as success. Speeds are not checked here.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select

from bench.load_servers import Gunicorn
from bench.load_world import build_world
from bench.throughput_probes import worker_rss_mb
from bench.throughput_world import open_attempts, replay, request_lines, sign_in_all
from bench.throughput_wrk import TARGETS
from lms.models import AttemptStatus, QuizAttempt
from lms.services.passwords import ONE_TIME_HASH_METHOD

pytestmark = pytest.mark.slow


@pytest.fixture
def servers(tmp_path):
    url = f"sqlite:///{tmp_path / 'bench.sqlite3'}"
    world = build_world(url, 3, tmp_path)
    (tmp_path / "hello").mkdir()
    hello = Gunicorn(url, tmp_path / "hello", workers=2, app="bench.hello_app:app")
    lms = Gunicorn(url, tmp_path, workers=2, LMS_RATELIMIT_ENABLED="false",
                   LMS_PASSWORD_HASH_METHOD=ONE_TIME_HASH_METHOD)  # quick sign-ins
    try:
        yield world, hello.start(), lms.start()
    finally:
        hello.stop()
        lms.stop()
    assert "database is locked" not in lms.log_text()


def test_every_prepared_request_gets_the_status_counted_as_success(servers):
    world, hello, lms = servers
    trainees = sign_in_all(lms.port, world, workers=3)
    attempts = open_attempts(world.course, trainees, world.modules, workers=3)
    assert len(attempts) == len(trainees) * len(world.modules)  # every module has a quiz

    statuses = {}
    for target in TARGETS:
        port = hello.port if target.name == "hello" else lms.port
        lines = request_lines(target.name, world.course, trainees, attempts)
        # Heartbeats twice over, numbered on as bench/wrk/beat.lua numbers them.
        sent = lines * 2 if target.name == "beat" else lines
        statuses[target.name] = {replay(port, line, beat=n) for n, line in enumerate(sent, 1)}
    assert statuses == {t.name: {t.expected} for t in TARGETS}

    # The submissions were graded, not bounced: no attempt is left open.
    engine = create_engine(world_url(lms))
    try:
        with engine.connect() as connection:
            still_open = connection.scalar(select(func.count()).select_from(QuizAttempt)
                                           .where(QuizAttempt.status == AttemptStatus.IN_PROGRESS))
    finally:
        engine.dispose()
    assert still_open == 0
    assert len(worker_rss_mb(lms.worker_pids())) == 2  # what the bench reports after the load


def world_url(server: Gunicorn) -> str:
    return server.env["LMS_DATABASE_URL"]
