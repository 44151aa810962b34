"""One wrk run: ``wrk -t2 -c32 -d<seconds>`` with a script of ``bench/wrk/``, parsed.

The scripts print one ``wrk-result`` line (bench/wrk/common.lua's ``done``): completed
requests, the run's duration, responses with another status than expected, socket errors and
timeouts, latency percentiles, and whether the quiz submissions ran out of open attempts.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "bench" / "wrk"
THREADS, CONNECTIONS = 2, 32
RESULT = re.compile(r"^wrk-result (.*)$", re.MULTILINE)


@dataclass(frozen=True)
class Target:
    name: str
    label: str
    script: str  # in bench/wrk/
    expected: int  # the status every response must have
    goal: tuple[float, float] | None  # the ratio to hello world: SQLite, PostgreSQL


TARGETS = (
    Target("hello", "Hello world (ceiling)", "rotate.lua", 200, None),
    Target("home", "Trainee home", "rotate.lua", 200, (0.5, 0.35)),
    Target("course", "Course page", "rotate.lua", 200, (0.5, 0.35)),
    Target("module", "Module page (revisit)", "rotate.lua", 200, (0.5, 0.35)),
    Target("beat", "Heartbeat", "beat.lua", 200, (0.3, 0.3)),
    Target("autosave", "Quiz autosave", "rotate.lua", 200, (0.3, 0.3)),
    Target("submit", "Quiz submit", "once.lua", 303, (0.2, 0.2)),
)
BY_NAME = {t.name: t for t in TARGETS}


@dataclass
class Sample:
    requests: int
    seconds: float
    unexpected: int  # responses with another status than the target's
    statuses: str    # those statuses with counts, "302:4,500:1"
    socket_errors: int
    timeouts: int
    exhausted: int   # wrk threads whose open attempts ran out (seconds: until the last did)
    p50_ms: float
    p99_ms: float
    locked: int = 0        # "database is locked" in the server's log during the run
    exceptions: int = 0    # "Exception on" (a 500's traceback) in the log during the run

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.unexpected + self.socket_errors + self.timeouts


def wrk_missing() -> bool:
    return shutil.which("wrk") is None


def parse(output: str) -> Sample:
    match = RESULT.search(output)
    if not match:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    fields = dict(part.split("=", 1) for part in match.group(1).split())
    return Sample(
        requests=int(fields["requests"]), seconds=int(fields["duration_us"]) / 1e6,
        unexpected=int(fields["unexpected"]), statuses=fields.get("statuses", ""),
        socket_errors=int(fields["socket_errors"]), timeouts=int(fields["timeouts"]),
        exhausted=int(fields["exhausted"]), p50_ms=int(fields["latency_p50_us"]) / 1000,
        p99_ms=int(fields["latency_p99_us"]) / 1000)


def run(port: int, target: Target, data: Path, seconds: float, tag: str) -> Sample:
    """Drive the server on ``port`` with ``target``'s script over the requests in ``data``."""
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s",
               "--timeout", "10s", "-s", str(SCRIPTS / target.script),
               f"http://127.0.0.1:{port}", "--", str(data), str(target.expected), str(THREADS),
               tag]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                          timeout=seconds + 60)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse(done.stdout)
