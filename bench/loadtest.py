"""50 trainees studying under gunicorn for 60 s, with faults; nothing acknowledged may be lost.

    python -m bench.loadtest [--duration 60] [--trainees 50] [--only sqlite|postgresql]
                             [--scenario steady|kill-worker|postgres-outage] [--outage 10]

Each scenario builds its own database (SQLite in WAL mode, or a PostgreSQL cluster of its own
so that it can be stopped), starts ``gunicorn --workers 4`` on a free loopback port and lets
the trainees of ``bench.load_clients`` study. ``kill-worker`` SIGKILLs one worker mid-run;
``postgres-outage`` stops PostgreSQL (``pg_ctl stop -m fast``) for ``--outage`` seconds, then
restarts it once more while no request runs (the pool must replace dead connections). A run
passes when every acknowledged beat, draft and submission is in the database, no response is
a 5xx (but the friendly 503 with Retry-After while PostgreSQL is down), no page shows a
traceback or "database is locked", and service resumes by itself. The clock starts once all
trainees have signed in (all at once, as when a class starts). The figures replace the
block between the markers in docs/operations.md. ``make loadtest`` runs every scenario.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bench.load_check import missing_acknowledged
from bench.load_clients import Tally, Trainee
from bench.load_servers import Gunicorn, PostgresCluster, wait_for
from bench.load_world import PASSWORD, build_world
from lms.services.passwords import ONE_TIME_HASH_METHOD

ROOT = Path(__file__).resolve().parent.parent
OPERATIONS = ROOT / "docs" / "operations.md"
BEGIN, END = "<!-- loadtest:begin -->", "<!-- loadtest:end -->"
SCENARIOS = {"sqlite": ("steady", "kill-worker"),
             "postgresql": ("steady", "kill-worker", "postgres-outage")}
#: Log lines that mean a request failed on the database, whatever the client was shown.
LOG_PROBLEMS = ("database is locked", "deadlock detected", "Exception on")


@dataclass
class Result:
    backend: str
    scenario: str
    seconds: float = 0.0
    tally: Tally = field(default_factory=Tally)
    checked: dict = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    log_problems: dict = field(default_factory=dict)
    fault: str = ""
    resumed_after: float | None = None
    outage: tuple[float, float] | None = None
    sign_ins: float = 0.0  # seconds until every trainee had signed in, all starting at once

    def server_errors(self) -> dict[int, int]:
        """5xx responses, except the 503s answered while PostgreSQL was down: from the stop
        until the quiet restart that follows (after which a stale pooled connection failing
        is counted: the pool must replace those by itself)."""
        errors: dict[int, int] = {}
        for moment, status, _kind, _seconds in self.tally.events:
            if status < 500:
                continue
            if status == 503 and self.outage and self.outage[0] <= moment <= self.outage[1]:
                continue
            errors[status] = errors.get(status, 0) + 1
        return errors

    def problems(self) -> list[str]:
        found = [f"not in the database: {m}" for m in self.missing[:10]]
        found += [f"{n} × {status}" for status, n in self.server_errors().items()]
        found += [f"page showed {leak}" for leak in sorted(set(self.tally.leaks))]
        if self.tally.unfriendly_503:
            found.append(f"{self.tally.unfriendly_503} × 503 without the page or Retry-After")
        found += [f"log: {n} × {word}" for word, n in self.log_problems.items() if n]
        if self.scenario == "postgres-outage" and self.resumed_after is None:
            found.append("service did not resume after PostgreSQL came back")
        if not self.checked.get("submissions"):
            found.append("no submission was acknowledged at all")
        return found


def _acknowledged(trainees: list[Trainee]) -> int:
    return sum(len(t.ledger.submitted) + len(t.ledger.beats) for t in trainees)


def run_scenario(backend: str, scenario: str, *, trainees: int = 50, duration: float | None = 60,
                 outage: float = 10.0, think: float = 0.2) -> Result:
    """Run one scenario. ``duration`` None: the quick version for the test suite, whose
    phases end on conditions (so much acknowledged, a 503 seen) instead of on the clock."""
    result = Result(backend, scenario)
    with tempfile.TemporaryDirectory(prefix="lms-load-") as folder:
        instance = Path(folder)
        cluster = PostgresCluster().create() if backend == "postgresql" else None
        server = None
        try:
            url = cluster.url if cluster else f"sqlite:///{instance / 'load.sqlite3'}"
            world = build_world(url, trainees, instance)
            # Quick: the one-time hash stays (no scrypt rehash at each of the first sign-ins).
            fast = {"LMS_PASSWORD_HASH_METHOD": ONE_TIME_HASH_METHOD} if duration is None else {}
            server = Gunicorn(url, instance, **fast).start()
            stop = threading.Event()
            clients = [Trainee(n, server.port, name, PASSWORD, world.course, world.modules,
                               result.tally, stop, think)
                       for n, name in enumerate(world.usernames)]
            storm = time.monotonic()
            for client in clients:
                client.start()
            # Everyone signs in at once (a class starting); the clock starts when all have.
            wait_for(lambda: all(c.signed_in.is_set() for c in clients), 600, "the sign-ins")
            started = time.monotonic()
            result.sign_ins = started - storm
            _phase(clients, duration and duration * 0.4, trainees)
            _fault(result, scenario, server, cluster, duration, outage)
            _phase(clients, duration and max(0.0, started + duration - time.monotonic()),
                   trainees)
            stop.set()
            for client in clients:
                client.join(90)
            result.seconds = time.monotonic() - storm
            server.stop()
            log = server.log_text()
            result.log_problems = {word: log.count(word) for word in LOG_PROBLEMS}
            result.missing, result.checked = missing_acknowledged(url, world.course, clients)
        finally:
            if server:
                server.stop()
            if cluster:
                cluster.destroy()
    return result


def _phase(clients: list[Trainee], seconds: float | None, trainees: int) -> None:
    """Let them study for ``seconds``, or (quick) until each has had something acknowledged."""
    if seconds is not None:
        time.sleep(seconds)
        return
    goal = _acknowledged(clients) + trainees
    wait_for(lambda: _acknowledged(clients) >= goal, 60, "the trainees to get work acknowledged")


def _fault(result: Result, scenario: str, server: Gunicorn, cluster, duration, outage) -> None:
    if scenario == "kill-worker":
        started = time.monotonic()
        victim = server.kill_one_worker()
        result.fault = (f"worker {victim} killed (SIGKILL); replaced in "
                        f"{time.monotonic() - started:.1f} s")
    elif scenario == "postgres-outage":
        down = time.monotonic()
        cluster.stop()
        if duration is None:  # quick: down until trainees have been told so
            seen = result.tally.statuses[503]
            wait_for(lambda: result.tally.statuses[503] >= seen + 5, 30, "503 answers")
        else:
            time.sleep(outage)
        cluster.start()
        up = time.monotonic()
        wait_for(lambda: any(moment > up and 200 <= status < 400
                             for moment, status, _kind, _seconds in result.tally.events[-200:]),
                 60, "service to resume")
        resumed = next(moment for moment, status, _kind, _seconds in result.tally.events
                       if moment > up and 200 <= status < 400)
        result.outage, result.resumed_after = (down, resumed), resumed - up
        _restart_while_quiet(result, cluster)
        result.fault = (f"PostgreSQL stopped for {up - down:.1f} s; first success "
                        f"{result.resumed_after:.1f} s after it was back; then restarted "
                        "once while no request was running")


def _restart_while_quiet(result: Result, cluster: PostgresCluster) -> None:
    """Restart PostgreSQL while every worker is idle: the pooled connections all die unseen,
    and the next request on each must get a fresh one (lms/connection_check.py), not a 503."""
    result.tally.open.clear()
    try:
        wait_for(lambda: result.tally.in_flight == 0, 60, "the requests to finish")
        result.outage = (result.outage[0], time.monotonic())  # no 503 is excused after this
        cluster.stop()
        cluster.start()
    finally:
        result.tally.open.set()


def _ms(values: list[float], q: float) -> str:
    if not values:
        return "–"
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000:.0f}"


def report(results: list[Result], trainees: int, duration: float | None) -> str:
    lines = [f"Measured {date.today().isoformat()} on {platform.node() or 'this machine'} "
             f"({_cores()} cores, Python {platform.python_version()}): {trainees} trainees, "
             f"gunicorn 4 sync workers, {duration or 'quick'} s per scenario after the "
             f"sign-ins; load average at the end {os.getloadavg()[0]:.1f}.", "",
             "| database | scenario | all signed in after | requests | req/s | acknowledged "
             "(beats / drafts / submissions) | lost | 5xx | 503 in outage | dropped connections "
             "| result |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        total = sum(r.tally.statuses.values())
        c = r.checked
        in_outage = r.tally.statuses[503] - r.server_errors().get(503, 0)
        lines.append(
            f"| {r.backend} | {r.scenario} | {r.sign_ins:.1f} s | {total} | "
            f"{total / max(r.seconds, 1):.0f} | "
            f"{c.get('beats', 0)} / {c.get('drafts', 0)} / {c.get('submissions', 0)} | "
            f"{len(r.missing)} | {sum(r.server_errors().values())} | {in_outage} | "
            f"{r.tally.dropped} | {'pass' if not r.problems() else 'FAIL'} |")
    lines += ["", "Response times in ms, median / 95th percentile:", "",
              "| database | scenario | " + " | ".join(KINDS) + " |",
              "|---|---|" + "---|" * len(KINDS)]
    for r in results:
        cells = [f"{_ms(r.tally.timings[k], .5)} / {_ms(r.tally.timings[k], .95)}" for k in KINDS]
        lines.append(f"| {r.backend} | {r.scenario} | " + " | ".join(cells) + " |")
    notes = [f"- {r.backend} {r.scenario}: {r.fault}" for r in results if r.fault]
    notes += [f"- {r.backend} {r.scenario}: {p}" for r in results for p in r.problems()]
    return "\n".join(lines + ([""] + notes if notes else []))


KINDS = ("login", "module", "beat", "quiz", "draft", "submit", "result")


def _cores() -> int:
    return len(os.sched_getaffinity(0))


def _write_figures(text: str) -> None:
    page = OPERATIONS.read_text("utf-8")
    head, _, rest = page.partition(BEGIN)
    _, _, tail = rest.partition(END)
    OPERATIONS.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--trainees", type=int, default=50)
    parser.add_argument("--outage", type=float, default=10)
    parser.add_argument("--think", type=float, default=0.2,
                        help="seconds a trainee reads between requests (0.5× to 1.5×)")
    parser.add_argument("--only", choices=sorted(SCENARIOS))
    parser.add_argument("--scenario", choices=SCENARIOS["postgresql"])
    parser.add_argument("--no-write", action="store_true", help="leave docs/operations.md")
    args = parser.parse_args(argv)
    results = []
    for backend, scenarios in SCENARIOS.items():
        if args.only and backend != args.only:
            continue
        if backend == "postgresql" and PostgresCluster.missing():
            print("PostgreSQL not installed: its scenarios are skipped.", file=sys.stderr)
            continue
        for scenario in scenarios:
            if args.scenario and scenario != args.scenario:
                continue
            print(f"{backend} {scenario} …", file=sys.stderr)
            results.append(run_scenario(backend, scenario, trainees=args.trainees,
                                        duration=args.duration, outage=args.outage,
                                        think=args.think))
    text = report(results, args.trainees, args.duration)
    print(text)
    if not args.no_write and not args.only and not args.scenario:
        _write_figures(text)
    return 1 if any(r.problems() for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
