"""Time the full person-level XLSX export of the benchmark course and watch its memory.

    python -m bench.export_timing --url URL [--repeat 3]

Runs in a process of its own (``bench.admin_stats`` starts it), so the peak resident memory
it reports belongs to the export alone: a site admin downloads ``people.xlsx`` of the whole
course, the way the dashboard's link does, through the app and its streamed response. The
same export of the smallest 党支部 is the yardstick for "flat": the whole course's peak may
not grow with its rows. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import time
from pathlib import Path

from sqlalchemy import func, select

from lms import create_app
from lms.models import Enrollment, OrgUnit, OrgUnitKind, User
from lms.services.demo_course import BENCH_SLUG

ADMIN = "bench-export-admin"


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> None:
    """Let VmHWM start again from the current RSS (Linux: clear_refs 5)."""
    Path("/proc/self/clear_refs").write_text("5")


def _download(client, path: str) -> tuple[float, int, int]:
    """Seconds, bytes and peak RSS growth (KiB) of one streamed download."""
    _reset_peak()
    before = _status_kib("VmRSS")
    start = time.perf_counter()
    response = client.get(path, buffered=False)
    assert response.status_code == 200, (path, response.status_code)
    size = sum(len(piece) for piece in response.response)
    response.close()
    return time.perf_counter() - start, size, _status_kib("VmHWM") - before


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    app = create_app({"LMS_DATABASE_URL": args.url, "SECRET_KEY": secrets.token_hex(16),
                      "WTF_CSRF_ENABLED": False, "LMS_RATELIMIT_ENABLED": False})
    password = secrets.token_urlsafe(12)
    made = app.test_cli_runner().invoke(
        args=["lms", "create-user", ADMIN, "--role", "admin", "--name", "基准导出",
              "--password-stdin"],
        input=f"{password}\n")
    if made.exit_code != 0:  # kept from an earlier run: give it this run's password
        made = app.test_cli_runner().invoke(args=["lms", "set-password", ADMIN,
                                                  "--password-stdin"], input=f"{password}\n")
    assert made.exit_code == 0, made.output
    with app.app_context():
        session = app.extensions["lms"].sessionmaker()
        rows = session.scalar(select(func.count()).select_from(Enrollment)
                              .join(User, User.id == Enrollment.user_id)
                              .where(Enrollment.course.has(slug=BENCH_SLUG)))
        branch = session.scalar(
            select(OrgUnit.id).where(OrgUnit.kind == OrgUnitKind.BRANCH)
            .join(User, User.org_unit_id == OrgUnit.id).group_by(OrgUnit.id)
            .order_by(func.count(), OrgUnit.id).limit(1))
        session.close()
    client = app.test_client()
    signed_in = client.post("/login", data={"username": ADMIN, "password": password})
    assert signed_in.status_code == 302, signed_in.get_data(as_text=True)[:500]
    small_path = f"/admin/stats/{BENCH_SLUG}/units/{branch}/people.xlsx"
    _download(client, small_path)  # warm-up: imports, caches, pools
    small = [_download(client, small_path) for _ in range(args.repeat)]
    full = [_download(client, f"/admin/stats/{BENCH_SLUG}/people.xlsx")
            for _ in range(args.repeat)]
    print(json.dumps({
        "rows": rows,
        "seconds": [round(seconds, 3) for seconds, _, _ in full],
        "median_seconds": statistics.median(seconds for seconds, _, _ in full),
        "bytes": full[0][1],
        "peak_growth_mib": max(growth for _, _, growth in full) / 1024,
        "small_peak_growth_mib": max(growth for _, _, growth in small) / 1024,
    }))


if __name__ == "__main__":
    main()
