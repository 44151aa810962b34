"""Time every admin dashboard view on SQLite and PostgreSQL at 100 000 trainees × 20 modules.

    python -m bench.admin_stats [--trainees 100000] [--seed 1] [--modules 20] [--repeat 30]

The data set is built once per database with ``flask lms demo-data --modules N --course
bench`` and kept (its counters recounted by the current code on each run): SQLite in a file
under ``.bench/``, PostgreSQL in a database named after the parameters and the migrations on
the server at ``--postgres-url`` (default ``$LMS_TEST_POSTGRES_URL``, which
``scripts/with-postgres`` sets for a throwaway cluster, so there it is built on every run).
Each view is then called ``--repeat`` times in a fresh session, after a few warm-up calls;
the median and 95th percentile go to the terminal and to ``bench/results.md``. Exits 1 if
any median is at or over the target (50 ms).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.views import VIEWS, context
from lms import create_app
from lms.services.demo_course import BENCH_SLUG

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 50.0
EXPORT_TARGET_S = 10.0
FLAT_MARGIN_MIB = 32
WARM_UP = 3


def _flask(url: str, *args: str) -> None:
    env = {**os.environ, "LMS_DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "lms", *args],
                   cwd=ROOT, env=env, check=True)


def _build(url: str, args: argparse.Namespace) -> None:
    print(f"Building the data set in {make_url(url).render_as_string()} …", file=sys.stderr)
    started = time.perf_counter()
    _flask(url, "init")
    _flask(url, "demo-data", "--trainees", str(args.trainees), "--seed", str(args.seed),
           "--modules", str(args.modules), "--course", BENCH_SLUG)
    print(f"Built in {time.perf_counter() - started:.0f} s.", file=sys.stderr)


def _name(args: argparse.Namespace) -> str:
    """Named after the parameters and the schema: a changed migration builds afresh."""
    digest = hashlib.sha256()
    for migration in sorted((ROOT / "lms" / "migrations" / "versions").glob("*.py")):
        digest.update(migration.read_bytes())
    return f"bench_n{args.trainees}_s{args.seed}_m{args.modules}_{digest.hexdigest()[:8]}"


def _refresh(url: str) -> None:
    """A kept data set gets the counters as the current code counts them."""
    print("Recounting the counters of the kept data set …", file=sys.stderr)
    _flask(url, "stats", "rebuild")


def sqlite_database(args: argparse.Namespace) -> str:
    """The cached file, built first (under a temporary name, so a failed build is not kept)."""
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    final = args.cache_dir / f"{_name(args)}.sqlite3"
    if not final.exists():
        building = final.with_suffix(".building.sqlite3")
        for stale in args.cache_dir.glob(building.name + "*"):
            stale.unlink()
        _build(f"sqlite:///{building}", args)
        building.rename(final)
    else:
        _refresh(f"sqlite:///{final}")
    return f"sqlite:///{final}"


def _vacuum(url) -> None:
    """What autovacuum does soon after a bulk load, done now: the visibility map lets the
    people list count from its index alone, as it does on a server in use."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("VACUUM (ANALYZE)"))
    finally:
        engine.dispose()


def postgres_database(args: argparse.Namespace) -> str | None:
    """The database on the server at ``--postgres-url``, built first if missing."""
    if not args.postgres_url:
        return None
    base = make_url(args.postgres_url)
    name = _name(args)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            present = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                        {"n": name})
            if not present:
                connection.execute(text(f"DROP DATABASE IF EXISTS {name}_building"))
                connection.execute(text(f"CREATE DATABASE {name}_building"))
        if not present:
            building = base.set(database=f"{name}_building")
            _build(building.render_as_string(False), args)
            _vacuum(building)
            with admin.connect() as connection:
                connection.execute(text(f"ALTER DATABASE {name}_building RENAME TO {name}"))
    finally:
        admin.dispose()
    url = base.set(database=name).render_as_string(False)
    if present:
        _refresh(url)
    return url


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def time_views(url: str, repeat: int) -> list[tuple[str, float, float]]:
    """(view, median ms, p95 ms) for every view."""
    app = create_app({"LMS_DATABASE_URL": url, "SECRET_KEY": "bench"})
    state = app.extensions["lms"]
    figures = []
    try:
        with app.app_context():
            setup = state.sessionmaker()
            ctx = context(setup, BENCH_SLUG)
            setup.close()
            for name, view in VIEWS:
                samples = []
                for run in range(WARM_UP + repeat):
                    session = state.sessionmaker()  # as a request: a new session each time
                    started = time.perf_counter()
                    view(session, ctx)
                    elapsed = (time.perf_counter() - started) * 1000
                    session.close()
                    if run >= WARM_UP:
                        samples.append(elapsed)
                figures.append((name, statistics.median(samples), percentile(samples, 0.95)))
    finally:
        state.engine.dispose()
    return figures


def time_export(url: str) -> dict:
    """The full person-level XLSX export, in a process of its own (bench.export_timing)."""
    done = subprocess.run([sys.executable, "-m", "bench.export_timing", "--url", url],
                          cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def export_misses(figures: dict) -> list[str]:
    """What the export misses of its targets: time, and memory that grows with the rows."""
    misses = []
    if figures["median_seconds"] >= EXPORT_TARGET_S:
        misses.append(f"{figures['median_seconds']:.1f} s")
    if figures["peak_growth_mib"] > figures["small_peak_growth_mib"] + FLAT_MARGIN_MIB:
        misses.append(f"peak memory {figures['peak_growth_mib']:.0f} MiB")
    return misses


def export_table(exports: dict[str, dict]) -> str:
    lines = ["| Database | rows | median (runs) | file | peak RSS growth | one 支部's |",
             "|---|---:|---:|---:|---:|---:|"]
    for db, f in exports.items():
        runs = ", ".join(f"{s:.2f}" for s in f["seconds"])
        flag = " ✗" if export_misses(f) else ""
        lines.append(f"| {db} | {f['rows']} | {f['median_seconds']:.2f} s ({runs}){flag} | "
                     f"{f['bytes'] / 2**20:.1f} MiB | {f['peak_growth_mib']:.1f} MiB | "
                     f"{f['small_peak_growth_mib']:.1f} MiB |")
    return "\n".join(lines)


def table(results: dict[str, list[tuple[str, float, float]]]) -> str:
    names = [name for name, _ in VIEWS]
    dbs = list(results)
    head = "| View | " + " | ".join(f"{db} median | {db} p95" for db in dbs) + " |"
    rule = "|---|" + "---:|---:|" * len(dbs)
    lines = [head, rule]
    for name in names:
        cells = []
        for db in dbs:
            row = next(r for r in results[db] if r[0] == name)
            flag = " ✗" if row[1] >= TARGET_MS else ""
            cells += [f"{row[1]:.1f} ms{flag}", f"{row[2]:.1f} ms"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trainees", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--modules", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--cache-dir", type=Path, default=ROOT / ".bench")
    parser.add_argument("--postgres-url", default=os.environ.get("LMS_TEST_POSTGRES_URL"))
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results.md")
    args = parser.parse_args(argv)

    databases = {}
    if args.only != "postgresql":
        databases["SQLite"] = sqlite_database(args)
    if args.only != "sqlite":
        url = postgres_database(args)
        if url is None:
            print("No PostgreSQL (run under scripts/with-postgres, or give --postgres-url): "
                  "timing SQLite only.", file=sys.stderr)
        else:
            databases["PostgreSQL"] = url
    results = {db: time_views(url, args.repeat) for db, url in databases.items()}
    exports = {db: time_export(url) for db, url in databases.items()}

    report = table(results)
    slow = [(db, name) for db, rows in results.items() for name, median, _ in rows
            if median >= TARGET_MS]
    slow += [(db, "people.xlsx: " + ", ".join(misses)) for db, figures in exports.items()
             if (misses := export_misses(figures))]
    verdict = ("Every view's median is under the target, and the export too." if not slow else
               "Over the target: " + ", ".join(f"{name} ({db})" for db, name in slow) + ".")
    report += (f"\n\nThe full person-level export (`people.xlsx` of the whole course, streamed "
               f"by a site admin's request); target: under {EXPORT_TARGET_S:.0f} s, and a peak "
               f"that does not grow with the rows (at most {FLAT_MARGIN_MIB} MiB over one "
               f"支部's export).\n\n{export_table(exports)}")
    print(report)
    print(verdict)
    args.results.write_text(
        f"# Admin dashboard benchmark\n\n"
        f"{args.trainees} trainees × {args.modules} modules (seed {args.seed}), "
        f"{args.repeat} calls per view after {WARM_UP} warm-up calls; target: median under "
        f"{TARGET_MS:.0f} ms. Measured {date.today()} on {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}.\n\n"
        f"Run it again with `make bench` (see bench/README.md).\n\n{report}\n\n{verdict}\n",
        "utf-8")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
