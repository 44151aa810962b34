"""Trainee pages per second under gunicorn, as a ratio to a bare Flask app in the same run.

    python -m bench.throughput [--only sqlite|postgresql] [--duration 10] [--repeat 3]
                               [--targets home,module,...] [--trainees 200] [--write]

For each database (SQLite in WAL mode in a file under ``.bench/``; PostgreSQL on
``--postgres-url``, default ``$LMS_TEST_POSTGRES_URL`` as under ``scripts/with-postgres``) it
builds the seed course and ``--trainees`` trainees, starts ``bench/hello_app.py`` and the LMS
(``wsgi:app``) each under gunicorn with 2 sync workers on loopback, signs every trainee in,
and drives each target with ``wrk -t2 -c32 -d<duration>`` (bench/wrk/*.lua, rotating over the
trainees), ``--repeat`` rounds, the hello world first in each round. Then the RSS of each
worker, the time from ``create_app()`` to the first page, and what ``import lms`` imports.
Prints one table (median req/s with min–max and the ratio to the hello world's median);
``--write`` also writes it to bench/results-throughput.md. Exits 1 if a ratio misses the
issue's target, a response had another status than expected, or the log says "database is
locked".
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from bench import throughput_probes as probes
from bench import throughput_wrk as wrk
from bench.load_servers import Gunicorn
from bench.load_world import World, build_world
from bench.throughput_report import report, verdict, write
from bench.throughput_world import (
    Trainee,
    module_path,
    open_attempts,
    replay,
    request_lines,
    sign_in_all,
    write_lines,
)

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_DATABASE = "lms_throughput"
CHECKED = 2  # requests of each target replayed in Python before wrk runs it


@dataclass
class DatabaseRun:
    name: str  # "SQLite" or "PostgreSQL"
    samples: dict[str, list[wrk.Sample]] = field(default_factory=dict)
    rss_mb: list[float] = field(default_factory=list)
    hello_rss_mb: list[float] = field(default_factory=list)
    startup: probes.Startup | None = None
    attempts: int = 0  # open attempts a submit run can use
    locked: int = 0    # "database is locked" in the whole server log
    problems: list[str] = field(default_factory=list)


def _sqlite_url(folder: Path) -> str:
    database = folder / "throughput.sqlite3"
    for stale in folder.glob("throughput.sqlite3*"):
        stale.unlink()
    return f"sqlite:///{database}"


def fresh_postgres_database(base: str) -> str:
    """A fresh database on the server at ``base``."""
    admin = create_engine(make_url(base), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE}"))
            connection.execute(text(f"CREATE DATABASE {POSTGRES_DATABASE}"))
    finally:
        admin.dispose()
    return make_url(base).set(database=POSTGRES_DATABASE).render_as_string(False)


def _user_token(url: str, username: str) -> str:
    """What flask-login keeps in the session for ``username`` (lms.auth.session)."""
    from lms.models import User

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            row = connection.execute(select(User.id, User.session_version)
                                     .where(User.username == username)).one()
    finally:
        engine.dispose()
    return f"{row.id}:{row.session_version}"


def _files(folder: Path, targets: list[str], world: World, trainees: list[Trainee],
           run: DatabaseRun, port: int, hello_port: int) -> dict[str, Path]:
    """Open attempts and write each target's requests; check a few of each first."""
    attempts = (open_attempts(world.course, trainees, world.modules)
                if {"autosave", "submit"} & set(targets) else [])
    files = {}
    for target in targets:
        lines = request_lines(target, world.course, trainees, attempts)
        checked = lines[-CHECKED:] if target == "submit" else lines[:CHECKED]
        if target == "submit":
            lines = lines[:-CHECKED]  # used up by the check
            run.attempts = len(lines)
        expected = wrk.BY_NAME[target].expected
        for n, line in enumerate(checked, start=1):
            status = replay(hello_port if target == "hello" else port, line, beat=n)
            if status != expected:
                raise RuntimeError(f"{run.name} {target}: a prepared request answered {status}, "
                                   f"not {expected}: {line.split(chr(9))[:2]}")
        files[target] = write_lines(folder / f"{target}.tsv", lines)
    return files


def measure(name: str, url: str, folder: Path, args: argparse.Namespace,
            targets: list[str]) -> DatabaseRun:
    run = DatabaseRun(name, {target: [] for target in targets})
    world = build_world(url, args.trainees, folder)
    (folder / "hello").mkdir(exist_ok=True)
    hello = Gunicorn(url, folder / "hello", workers=2, app="bench.hello_app:app")
    server = Gunicorn(url, folder, workers=2, LMS_RATELIMIT_ENABLED="false")
    try:
        hello.start()
        server.start()
        print(f"{name}: signing {args.trainees} trainees in …", file=sys.stderr)
        trainees = sign_in_all(server.port, world)
        for round_ in range(args.repeat):
            files = _files(folder, targets, world, trainees, run, server.port, hello.port)
            for target in targets:
                spec = wrk.BY_NAME[target]
                port = hello.port if target == "hello" else server.port
                if round_ == 0 and args.warmup and target != "submit":
                    wrk.run(port, spec, files[target], args.warmup, f"w{name[0]}")
                mark = len(server.log_text())
                sample = wrk.run(port, spec, files[target], args.duration, f"{name[0]}{round_}")
                log = server.log_text()[mark:]
                sample.locked = log.count("database is locked")
                sample.exceptions = log.count("Exception on")
                run.samples[target].append(sample)
                print(f"{name} round {round_ + 1} {target}: {sample.rate:.0f} req/s"
                      + (f", {sample.errors} errors ({sample.statuses})" if sample.errors else ""),
                      file=sys.stderr)
        run.rss_mb = probes.worker_rss_mb(server.worker_pids())
        run.hello_rss_mb = probes.worker_rss_mb(hello.worker_pids())
    finally:
        hello.stop()
        server.stop()
    run.locked = server.log_text().count("database is locked")
    first = trainees[0]
    run.startup = probes.startup(url, folder, _user_token(url, first.username),
                                 module_path(world.course, first.module))
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk run")
    parser.add_argument("--repeat", type=int, default=3, help="runs per target (median)")
    parser.add_argument("--warmup", type=float, default=2,
                        help="seconds of discarded load per target before the first round")
    parser.add_argument("--targets", default=",".join(t.name for t in wrk.TARGETS[1:]),
                        help="comma-separated, of: " + ", ".join(wrk.BY_NAME))
    parser.add_argument("--trainees", type=int, default=200)
    parser.add_argument("--postgres-url", default=os.environ.get("LMS_TEST_POSTGRES_URL"))
    parser.add_argument("--cache-dir", type=Path, default=ROOT / ".bench")
    parser.add_argument("--write", action="store_true",
                        help="write the table to bench/results-throughput.md")
    args = parser.parse_args(argv)
    if wrk.wrk_missing():
        parser.error("wrk is not installed: run scripts/ensure-wrk")
    targets = ["hello"] + [t for t in args.targets.split(",") if t and t != "hello"]
    unknown = set(targets) - set(wrk.BY_NAME)
    if unknown:
        parser.error(f"unknown targets: {', '.join(sorted(unknown))}")

    databases = {}
    if args.only != "postgresql":
        databases["SQLite"] = "sqlite"
    if args.only != "sqlite":
        if args.postgres_url:
            databases["PostgreSQL"] = "postgresql"
        else:
            print("No PostgreSQL (run under scripts/with-postgres, or give --postgres-url): "
                  "measuring SQLite only.", file=sys.stderr)
    runs = []
    for name, kind in databases.items():
        folder = args.cache_dir / f"throughput-{kind}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        url = (_sqlite_url(folder) if kind == "sqlite"
               else fresh_postgres_database(args.postgres_url))
        runs.append(measure(name, url, folder, args, targets))
    imports = probes.imports()
    table = report(runs, targets, imports, args)
    failures = verdict(runs, targets)
    print(table)
    print("\n".join(failures) or "Every target reached, with no errors.")
    if args.write:
        write(ROOT / "bench" / "results-throughput.md", table, failures, args)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
