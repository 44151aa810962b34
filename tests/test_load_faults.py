"""Nothing acknowledged is lost under gunicorn, a killed worker or a PostgreSQL restart.

The few-second versions of ``make loadtest`` (bench/loadtest.py): 6 trainees study through
4 gunicorn workers until each phase has had some work acknowledged, then every acknowledged beat,
draft and submission must be in the database, no response a 5xx (but the friendly 503 while
PostgreSQL is down) and no page a traceback or "database is locked". The steady scenario is
the first half of kill-worker, so it has no run of its own here.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from bench.load_servers import postgres_bindir
from bench.loadtest import run_scenario
from tests.strict_skips import skip_locally

pytestmark = pytest.mark.slow

TRAINEES = 6


def _need(backend: str) -> None:
    if not shutil.which("gunicorn", path=str(Path(sys.executable).parent)):
        pytest.fail("gunicorn is not installed: `pip install -e '.[dev]'`")
    if backend == "postgresql" and postgres_bindir() is None:
        skip_locally("PostgreSQL binaries not installed")


@pytest.mark.parametrize("backend, scenario", [
    ("sqlite", "kill-worker"),
    ("postgresql", "kill-worker"),
    ("postgresql", "postgres-outage"),
])
def test_nothing_acknowledged_is_lost(backend, scenario):
    _need(backend)
    result = run_scenario(backend, scenario, trainees=TRAINEES, duration=None, think=0.02)
    assert result.problems() == []
    assert result.checked["submissions"] >= 1
    if scenario == "postgres-outage":
        assert result.tally.statuses[503] >= 5  # the trainees were told, calmly, to retry
