"""The throughput bench's one table, what it misses, and bench/results-throughput.md."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from datetime import date
from pathlib import Path

from bench import throughput_wrk as wrk

RSS_TARGET_MB = 100
FIRST_PAGE_TARGET_S = 0.5
#: A submit run whose open attempts ran out sooner than this is too short to trust.
SHORTEST_S = 2.0


def _median(run, target: str) -> float:
    return statistics.median(s.rate for s in run.samples[target])


def _ratio(run, target: str) -> float:
    ceiling = _median(run, "hello")
    return _median(run, target) / ceiling if ceiling else 0.0


def _goal(target: str, column: int) -> float | None:
    goal = wrk.BY_NAME[target].goal
    return goal[column] if goal else None


def _column(run) -> int:
    return 0 if run.name == "SQLite" else 1


def _rate_cell(run, target: str) -> str:
    samples = run.samples[target]
    rates = [s.rate for s in samples]
    cell = f"{statistics.median(rates):.0f} ({min(rates):.0f}–{max(rates):.0f})"
    errors = sum(s.errors for s in samples)
    locked = sum(s.locked for s in samples)
    if errors:
        seen = ",".join(sorted({s.statuses for s in samples if s.statuses}))
        cell += f" ⚠ {errors} errors" + (f" ({seen})" if seen else "")
    if locked:
        cell += f" ⚠ {locked}× database is locked"
    ran_out = [s.seconds for s in samples if s.exhausted]
    if ran_out:
        cell += f" (attempts ran out after {min(ran_out):.1f} s)"
    return cell


def _ratio_cell(run, target: str) -> str:
    ratio = _ratio(run, target)
    goal = _goal(target, _column(run))
    mark = "" if goal is None else (" ✓" if ratio >= goal else " ✗")
    return f"{ratio:.2f}{mark}"


def report(runs, targets: list[str], imports, args) -> str:
    head = "| Target | " + " | ".join(f"{r.name} req/s median (min–max) | {r.name} ratio"
                                      for r in runs) + " | Target ratio (SQLite / PostgreSQL) |"
    lines = [head, "|---|" + "---:|---:|" * len(runs) + "---|"]
    for target in targets:
        goal = wrk.BY_NAME[target].goal
        cells = [f"{_rate_cell(r, target)} | {_ratio_cell(r, target)}" for r in runs]
        wanted = f"≥ {goal[0]} / ≥ {goal[1]}" if goal else "(the ceiling)"
        lines.append(f"| {wrk.BY_NAME[target].label} | " + " | ".join(cells) + f" | {wanted} |")

    def other(label: str, cell, wanted: str) -> None:
        lines.append(f"| {label} | " + " | ".join(f"{cell(r)} | –" for r in runs)
                     + f" | {wanted} |")

    other("RSS per worker after the load, MB (hello world's)",
          lambda r: f"{max(r.rss_mb):.0f} ({max(r.hello_rss_mb):.0f})", f"< {RSS_TARGET_MB} MB")
    other("`create_app()` → first module page on a restart, s (median of 5)",
          lambda r: f"{r.startup.first_page_s:.2f}", f"< {FIRST_PAGE_TARGET_S} s")
    other("… on the first start after deploying (nothing compiled yet), s",
          lambda r: f"{r.startup.first_ever_s:.2f}", "(for comparison)")
    other("`import lms`, s (median of 5)", lambda r: f"{r.startup.import_s:.2f}",
          "only what a page needs")
    top = ", ".join(f"{name} {ms:.0f}" for name, ms in imports.top)
    heavy_first = sorted({name for r in runs for name in r.startup.heavy_loaded})
    notes = [
        "",
        f"`python -X importtime -c \"import lms\"`: {imports.total_ms:.0f} ms in all; by "
        f"top-level package (own time, ms): {top}.",
        f"Imported by `import lms` though no page needs them: "
        f"{', '.join(imports.heavy) or 'none'}; loaded once the first page was served: "
        f"{', '.join(heavy_first) or 'none'}.",
        f"{args.trainees} trainees (each request goes to the next one); wrk -t{wrk.THREADS} "
        f"-c{wrk.CONNECTIONS} -d{args.duration:g}s per run, {args.repeat} runs per target; "
        "quiz submissions: " + ", ".join(f"{r.attempts} open attempts per run on {r.name}"
                                         for r in runs) + ".",
    ]
    return "\n".join(lines + notes)


def verdict(runs, targets: list[str]) -> list[str]:
    """Every target missed and every error, one line each; empty when all is well."""
    found = []
    for run in runs:
        for target in targets:
            goal, samples = _goal(target, _column(run)), run.samples[target]
            label = f"{wrk.BY_NAME[target].label} on {run.name}"
            if goal is not None and _ratio(run, target) < goal:
                found.append(f"{label}: {_ratio(run, target):.2f} of hello world "
                             f"(target {goal}).")
            errors = sum(s.errors for s in samples)
            if errors:
                found.append(f"{label}: {errors} responses not as expected "
                             f"({', '.join(s.statuses for s in samples if s.statuses)}).")
            if any(0 < s.exhausted < wrk.THREADS or s.exhausted and s.seconds < SHORTEST_S
                   for s in samples):
                found.append(f"{label}: the open attempts ran out too soon to measure; "
                             "give more --trainees.")
        if run.locked:
            found.append(f"{run.name}: the server log says 'database is locked' "
                         f"{run.locked} times.")
        if max(run.rss_mb) >= RSS_TARGET_MB:
            found.append(f"{run.name}: a worker holds {max(run.rss_mb):.0f} MB after the load.")
        if run.startup.first_page_s >= FIRST_PAGE_TARGET_S:
            found.append(f"{run.name}: create_app() to the first page took "
                         f"{run.startup.first_page_s:.2f} s.")
    return found


def _machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{platform.node() or 'this machine'}: {len(os.sched_getaffinity(0))} cores "
            f"({model or platform.machine()}), Python {platform.python_version()}")


def _commit() -> str:
    """The code measured: the checkout's commit (with "-dirty" for local changes)."""
    try:
        done = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=path_root(),
                              capture_output=True, text=True, timeout=10)
    except OSError:
        return "an unknown commit"
    return f"commit {done.stdout.strip()}" if done.returncode == 0 else "an unknown commit"


def path_root() -> Path:
    return Path(__file__).resolve().parent.parent


def write(path: Path, table: str, failures: list[str], args) -> None:
    path.write_text(
        "# Trainee page throughput\n\n"
        f"Measured {date.today()} ({_commit()}) on {_machine()}; load average at the end "
        f"{os.getloadavg()[0]:.1f}. gunicorn with 2 sync workers per app, each figure the "
        f"median of {args.repeat} wrk runs of {args.duration:g} s with the lowest and highest; "
        "the ratio is to the bare Flask hello world measured in the same run.\n\n"
        "Run it again with `make bench` (see bench/README.md).\n\n"
        f"{table}\n\n" + ("\n".join(f"- {line}" for line in failures)
                          or "Every target reached, with no errors.") + "\n", "utf-8")
