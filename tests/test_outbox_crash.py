"""A process killed between commit and delivery loses no event: the next dispatch delivers it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import ClassVar

from lms import create_app, migrate
from lms.subscribers import EventListener

ROOT = Path(__file__).resolve().parent.parent


class FileProbe(EventListener):
    """Appends each event it hears to a file named by LMS_TEST_PROBE_FILE."""

    name: ClassVar[str] = "file_probe"

    def handle(self, event, event_id) -> None:
        with open(os.environ["LMS_TEST_PROBE_FILE"], "a", encoding="utf-8") as out:
            out.write(json.dumps({"id": event_id, "name": event.name,
                                  **event.payload()}) + "\n")


CRASHING_WORKER = textwrap.dedent("""
    import os, signal, sys
    from lms import create_app, migrate
    from lms.content.loader import read_course
    from lms.services import accounts, catalog, progress
    from lms.services.course_views import module_of
    from tests.test_outbox_crash import FileProbe

    app = create_app({"LMS_DATABASE_URL": sys.argv[1], "SECRET_KEY": "t", "TESTING": True})
    state = app.extensions["lms"]
    state.listeners.register(FileProbe())
    migrate.upgrade(state.engine)
    with app.app_context():
        db = state.session()
        catalog.upsert_course(db, read_course(__import__("pathlib").Path(sys.argv[2]),
                                              state.question_types))
        user = accounts.create_user(db, username="crash", display_name="断电学员",
                                    role="trainee", password=None)
        module = module_of(catalog.get_course(db, "demo"), "second")
        state.bus.on_commit = lambda: os.kill(os.getpid(), signal.SIGKILL)
        progress.record_visit(db, user, module)  # commits, then the process dies
    print("not killed")
""")


def test_events_survive_a_kill_between_commit_and_delivery(empty_database, tmp_path):
    probe = tmp_path / "heard.jsonl"
    env = {**os.environ, "LMS_TEST_PROBE_FILE": str(probe), "PYTHONPATH": str(ROOT)}
    worker = subprocess.run(
        [sys.executable, "-c", CRASHING_WORKER, empty_database,
         str(ROOT / "tests" / "data" / "courses" / "demo")],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert worker.returncode == -9, worker.stdout + worker.stderr
    assert not probe.exists()  # killed before any listener ran

    app = create_app({"LMS_DATABASE_URL": empty_database, "SECRET_KEY": "t", "TESTING": True})
    state = app.extensions["lms"]
    state.listeners.register(FileProbe())
    migrate.upgrade(state.engine)
    os.environ["LMS_TEST_PROBE_FILE"] = str(probe)
    try:
        result = app.test_cli_runner().invoke(args=["lms", "events", "dispatch"])
    finally:
        del os.environ["LMS_TEST_PROBE_FILE"]
        state.engine.dispose()
    assert result.exit_code == 0, result.output
    heard = [json.loads(line) for line in probe.read_text("utf-8").splitlines()]
    assert sorted(e["name"] for e in heard) == ["course_enrolled", "course_version_created",
                                               "module_completed", "module_viewed",
                                               "person_created"]
    assert f"已投递 {5 * len(state.listeners)} 条，失败 0 条" in result.output
    again = app.test_cli_runner().invoke(args=["lms", "events", "dispatch"])
    assert "已投递 0 条" in again.output  # delivered once, marked so
