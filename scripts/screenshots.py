"""Save a screenshot of every page type at phone (375) and PC (1280) widths.

Usage: .venv/bin/python scripts/screenshots.py [outdir] [--only NAME ...]
(default outdir: docs/screenshots/; files are named <page>-<width>.png, as docs link them)

Builds a throw-away app on a temporary SQLite file with its own data (screenshots_data.py:
`flask lms demo-data`, a trainee part-way through the seed course, a short answer graded and
one waiting, a certificate), serves it on a free local port and drives Debian's chromium
(/usr/bin/chromium) through Playwright. For each page it prints what a phone user would trip
over: a page wider than the screen, tap targets under 44 px, text under 16 px.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import screenshots_admin  # noqa: E402  (next to this script)
import screenshots_data  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WIDTHS = {375: 812, 1280: 800}
#: A full page, but no taller than this: the long admin lists would make megabyte PNGs.
MAX_HEIGHT = 3000


def page_list(world: screenshots_data.World) -> list[tuple[str, str | None, str]]:
    """(file name, who is signed in, path) of every page type, grouped by who."""
    course, module = f"/courses/{world.course}", f"/courses/{world.course}/modules"
    author_module = f"/author/courses/{world.course}/modules/{world.first_module}"
    draft = f"/author/courses/{world.essay_course}/draft"
    stats, unit = f"/admin/stats/{world.course}", f"/admin/stats/{world.course}/units"
    return [
        ("login", None, "/login"),
        ("verify", None, f"/verify/{world.certificate_code}"),
        ("home", "trainee", "/"),
        ("course", "trainee", course),
        ("module", "trainee", f"{module}/{world.current_module}"),
        ("quiz", "trainee", f"{module}/{world.current_module}/quiz"),
        ("attempt", "trainee", world.passed_attempt),
        ("attempt-graded", "trainee", world.graded_attempt),
        ("record", "trainee", "/record"),
        ("certificates", "trainee", "/certificates"),
        ("notices", "trainee", "/notices"),
        ("account", "trainee", "/account"),
        ("error-404", "trainee", "/courses/no-such-course"),
        ("author-index", "trainer", "/author/"),
        ("author-draft", "trainer", draft),
        ("author-question-form", "trainer",
         f"{draft}/files/{world.essay_file}/questions/new?type=single_choice"),
        ("author-grading", "trainer", "/author/grading"),
        ("author-grade", "trainer", f"/author/grading/{world.waiting_attempt_id}"),
        ("author-item-analysis", "trainer", f"{author_module}/quiz"),
        ("author-import", "trainer", f"{author_module}/import"),
        ("author-import-preview", "trainer", "import-preview"),
        ("admin-index", "admin", "/admin/"),
        ("admin-unit", "admin", f"/admin/units/{world.admin.unit_id}"),
        ("admin-people", "admin", "/admin/people"),
        ("admin-person", "admin", f"/admin/people/{world.admin.person_id}"),
        ("admin-stats", "admin", "/admin/stats"),
        ("admin-stats-course", "admin", stats),
        ("admin-stats-unit", "admin", f"{unit}/{world.admin.top_id}"),
        ("admin-stats-overdue", "admin", f"{stats}/overdue"),
        ("admin-stats-person", "admin",
         f"{unit}/{world.admin.learner_unit_id}/people/{world.admin.learner_id}"),
        ("admin-stats-hours", "admin", "/admin/stats/hours"),
        ("admin-grants", "admin", "/admin/grants"),
        ("admin-audit", "admin", "/admin/audit"),
    ]


class Camera:
    """One browser context at one width, signed in as one person, saving named screenshots."""

    def __init__(self, browser, base: str, width: int, outdir: Path):
        self.context = browser.new_context(viewport={"width": width, "height": WIDTHS[width]})
        self.page = self.context.new_page()
        self.base, self.width, self.outdir = base, width, outdir

    def shot(self, name: str) -> Path:
        path = self.outdir / f"{name}-{self.width}.png"
        height = min(self.page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
        self.page.screenshot(path=str(path), full_page=True,
                             clip={"x": 0, "y": 0, "width": self.width, "height": height})
        found = screenshots_admin.check(self.page)
        if found["width"] > self.width:
            print(f"OVERFLOW {path.name}: page is {found['width']} px wide", file=sys.stderr)
        for kind in ("small", "tiny"):
            if found[kind]:
                print(f"{kind.upper()} {path.name}: {'; '.join(found[kind])}", file=sys.stderr)
        return path


def shoot(browser, base: str, width: int, outdir: Path, world, only: list[str]) -> list[Path]:
    files, camera, who_now = [], None, object()
    for name, who, path in page_list(world):
        if only and not any(part in name for part in only):
            continue
        if who != who_now:
            if camera is not None:
                camera.context.close()
            camera, who_now = Camera(browser, base, width, outdir), who
            if who is not None:
                screenshots_data.sign_in(camera.page, base, world.accounts[who])
        if path == "import-preview":
            screenshots_data.upload_gift(camera.page, base, world)
        else:
            response = camera.page.goto(f"{base}{path}")
            expected = 404 if name == "error-404" else 200
            assert response.status == expected, (name, path, response.status)
        camera.page.locator("details:not([open]) > summary").evaluate_all(
            "els => els.forEach(s => s.click())")  # what is folded, shown open
        files.append(camera.shot(name))
    if camera is not None:
        camera.context.close()
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", nargs="?", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", nargs="*", default=[], metavar="NAME",
                        help="only the pages whose name contains one of these")
    arguments = parser.parse_args()
    outdir = arguments.outdir
    outdir.mkdir(parents=True, exist_ok=True)
    if not Path(CHROMIUM).exists():
        print(f"Needs Debian's chromium at {CHROMIUM}: apt-get install chromium", file=sys.stderr)
        return 1
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log lines
    with tempfile.TemporaryDirectory(prefix="lms-shots-") as temp:
        app = screenshots_data.new_app(Path(temp))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_port}"
        files: list[Path] = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    world = screenshots_data.make_world(app, browser, base)
                    for width in WIDTHS:
                        files += shoot(browser, base, width, outdir, world, arguments.only)
                finally:
                    browser.close()
        finally:
            server.shutdown()
            server.server_close()
            app.extensions["lms"].engine.dispose()
    for path in files:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
