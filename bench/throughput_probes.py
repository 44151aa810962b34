"""What the throughput bench measures besides rates: worker memory, start-up and imports.

    python -m bench.throughput_probes startup URL INSTANCE USER_TOKEN PATH   (one, as JSON)

* RSS per gunicorn worker after the load: ``VmRSS`` of each worker in ``/proc``.
* ``create_app()`` to the first served page: a fresh process imports ``lms``, creates the app
  on the bench database and serves one trainee page with the test client (signed in by
  putting flask-login's user token in the session); the median of a few such processes, as
  a restart (bytecode and compiled templates kept from an earlier start) and as a first start.
* What ``import lms`` pulls in: ``python -X importtime`` summarised by top-level package, and
  which of the heavy packages no page needs are imported by ``import lms`` and by the time
  the first page is served.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("alembic", "openpyxl", "pygments", "weasyprint")


def worker_rss_mb(pids: list[int]) -> list[float]:
    sizes = []
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


@dataclass(frozen=True)
class Startup:
    import_s: float          # import lms
    first_page_s: float      # create_app() until the first page has been served (a restart)
    first_ever_s: float      # the same with nothing compiled yet (first start after deploying)
    heavy_loaded: list[str]  # of HEAVY, imported once that page was served


def startup(url: str, instance: Path, user_token: str, path: str, runs: int = 5) -> Startup:
    """The median of ``runs`` fresh processes restarting a deployed app: Python's bytecode and
    the compiled templates written by an earlier start, as on any server after its first start
    (one discarded run writes them). Beside it, the median of the same number of first starts:
    no bytecode written (``PYTHONDONTWRITEBYTECODE``) and an empty instance folder, so every
    module of ``lms`` and every template is compiled from source."""
    warm_env = {name: value for name, value in os.environ.items()
                if name != "PYTHONDONTWRITEBYTECODE"}
    _startup_process(url, instance, user_token, path, warm_env)
    warm = [_startup_process(url, instance, user_token, path, warm_env) for _ in range(runs)]
    cold = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as empty:
            cold.append(_startup_process(url, Path(empty), user_token, path,
                                         {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}))
    return Startup(statistics.median(s["import_s"] for s in warm),
                   statistics.median(s["first_page_s"] for s in warm),
                   statistics.median(s["first_page_s"] for s in cold),
                   warm[-1]["heavy_loaded"])


def _startup_process(url: str, instance: Path, user_token: str, path: str,
                     env: dict[str, str]) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.throughput_probes", "startup", url,
                           str(instance), user_token, path], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _startup_in_this_process(url: str, instance: str, user_token: str, path: str) -> dict:
    started = time.perf_counter()
    from lms import create_app

    imported = time.perf_counter()
    app = create_app({"LMS_DATABASE_URL": url, "SECRET_KEY": "bench-startup",
                      "LMS_RATELIMIT_ENABLED": False}, instance_path=instance)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = user_token, True
    status = client.get(path, headers={"Accept-Language": "zh-CN"}).status_code
    served = time.perf_counter()
    if status != 200:
        raise SystemExit(f"{path} answered {status}")
    return {"import_s": imported - started, "first_page_s": served - imported,
            "heavy_loaded": [name for name in HEAVY if name in sys.modules]}


@dataclass(frozen=True)
class Imports:
    total_ms: float                 # cumulative time of "import lms" under -X importtime
    top: list[tuple[str, float]]    # top-level packages by their own import time, ms
    heavy: list[str]                # of HEAVY, imported by "import lms"


def imports(top: int = 8) -> Imports:
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import lms"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    by_package: Counter = Counter()
    total = 0.0
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line or "self [us]" in line:
            continue
        own, cumulative, name = line[len("import time:"):].split("|")
        package = name.strip().split(".")[0]
        by_package[package] += int(own) / 1000
        if name.strip() == "lms":
            total = int(cumulative) / 1000
    return Imports(total, [(name, ms) for name, ms in by_package.most_common(top)],
                   [name for name in HEAVY if name in by_package])


if __name__ == "__main__":
    if sys.argv[1:2] == ["startup"]:
        print(json.dumps(_startup_in_this_process(*sys.argv[2:6])))
