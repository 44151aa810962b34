"""Save full-page screenshots of the trainee's pages at phone (375) and desktop (1280) widths.

Usage: .venv/bin/python scripts/screenshots.py [--admin] [outdir]
(default outdir: screenshots/, git-ignored)

Builds a throw-away app on a temporary SQLite file with the bundled seed course, serves it on a
free local port and drives Debian's chromium (/usr/bin/chromium) through Playwright. Each width
uses its own new trainee, who fails and then passes the first quiz and completes every module.
With --admin it shoots the admin room instead, over `flask lms demo-data` (see
screenshots_admin.py) and prints what a phone user would trip over on each page: a page wider
than the screen, tap targets under 44 px, text under 16 px.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import tempfile
import threading
from pathlib import Path

import yaml
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import screenshots_admin  # noqa: E402  (next to this script)
import screenshots_author  # noqa: E402

from lms import create_app, migrate  # noqa: E402

COURSE_DIR = ROOT / "courses" / "jiceng-dangjian"
COURSE = "jiceng-dangjian"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WIDTHS = {375: 812, 1280: 800}
PASSWORD = "password123"
TRUE_WORDS = {"正确", "对", "是", "√", "true", "t", "yes"}


def seed_modules() -> list[tuple[str, list[dict]]]:
    """(module slug, quiz questions) in course order, read from the course files."""
    course = yaml.safe_load((COURSE_DIR / "course.yml").read_text(encoding="utf-8"))
    modules = []
    for name in course["modules"]:
        text = (COURSE_DIR / name).read_text(encoding="utf-8")
        front = yaml.safe_load(text.split("---", 2)[1])
        block = re.search(r"^```quiz[ \t]*\n(.*?)^```", text, re.DOTALL | re.MULTILINE)
        modules.append((front["slug"], yaml.safe_load(block.group(1)) if block else []))
    return modules


def answer(page, number: int, question: dict, right: bool = True) -> None:
    """Fill one question, correctly or (``right=False``) wrongly."""
    field, kind, key = f"q{number}", question["type"], question["answer"]
    if kind in ("single_choice", "multiple_choice"):
        picked = [ord(c) - 65 for c in re.sub(r"[\s,，、]", "", key.upper())]
        if not right:
            others = [i for i in range(len(question["options"])) if i not in picked]
            picked = others[:1] if kind == "single_choice" else picked[:1]
        for index in picked:
            page.check(f'input[name="{field}"][value="{index}"]')
    elif kind == "true_false":
        truth = str(key).strip().lower() in TRUE_WORDS
        page.check(f'input[name="{field}"][value="{"true" if truth == right else "false"}"]')
    else:
        entries = key if isinstance(key, list) else [key]
        for index, entry in enumerate(entries):
            accepted = entry if isinstance(entry, list) else re.split(r"[|;；]", str(entry))
            text = str(accepted[0]).strip() if right else "不知道"
            page.locator(f'input[name="{field}"]').nth(index).fill(text)


def fill_quiz(page, questions: list[dict], right: bool = True, skip: int | None = None) -> None:
    for number, question in enumerate(questions, start=1):
        if number != skip:
            answer(page, number, question, right)


def submit(page) -> None:
    with page.expect_navigation():
        page.click('main form button[type="submit"]')


def new_app(folder: Path):
    app = create_app({"LMS_DATABASE_URL": f"sqlite:///{folder / 'lms.sqlite3'}",
                      "SECRET_KEY": "screenshots", "LMS_COURSES_DIR": str(ROOT / "courses")})
    app.instance_path = str(folder)
    migrate.upgrade(app.extensions["lms"].engine)
    return app


def build_app(folder: Path):
    app = new_app(folder)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["lms", "load-courses"])
    assert result.exit_code == 0, result.output
    for width in WIDTHS:
        result = runner.invoke(
            args=["lms", "create-user", f"trainer{width}", "--role", "trainer",
                  "--name", "李讲师", "--password-stdin"], input=f"{PASSWORD}\n")
        assert result.exit_code == 0, result.output
        result = runner.invoke(args=["lms", "grant", f"trainer{width}",
                                     "--course-author", COURSE])  # to show import pages
        assert result.exit_code == 0, result.output
        result = runner.invoke(
            args=["lms", "create-user", f"trainee{width}", "--role", "trainee",
                  "--unit", "党委/第一党总支/第一党支部", "--name", "张三", "--password-stdin"],
            input=f"{PASSWORD}\n")
        assert result.exit_code == 0, result.output
    return app


class Camera:
    """A fresh browser context at one width that numbers the screenshots it saves."""

    def __init__(self, browser, width: int, outdir: Path, prefix: str = "", check=None):
        self.context = browser.new_context(viewport={"width": width, "height": WIDTHS[width]})
        self.page = self.context.new_page()
        self.width, self.outdir, self.prefix, self.check = width, outdir, prefix, check
        self.files: list[Path] = []

    def shot(self, name: str) -> None:
        number = len(self.files) + 1
        path = self.outdir / f"{self.width}-{self.prefix}{number:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.files.append(path)
        wide = self.page.evaluate("document.documentElement.scrollWidth")
        if wide > self.width:
            print(f"OVERFLOW {path.name}: page is {wide} px wide at {self.width} px",
                  file=sys.stderr)
        if self.check is not None:
            found = self.check(self.page)
            for kind in ("small", "tiny"):
                if found[kind]:
                    print(f"{kind.upper()} {path.name}: {'; '.join(found[kind])}",
                          file=sys.stderr)


def shoot_width(browser, base: str, width: int, outdir: Path) -> list[Path]:
    modules = seed_modules()
    first_slug, first_quiz = modules[0]
    camera = Camera(browser, width, outdir)
    context, page, shot, files = camera.context, camera.page, camera.shot, camera.files

    page.goto(f"{base}/login")
    shot("login")
    page.fill('input[name="username"]', f"trainee{width}")
    page.fill('input[name="password"]', "wrong-password")
    submit(page)
    shot("login-error")
    page.fill('input[name="username"]', f"trainee{width}")
    page.fill('input[name="password"]', PASSWORD)
    submit(page)
    shot("my-learning-empty")
    page.goto(f"{base}/courses/{COURSE}")
    shot("course")
    page.goto(f"{base}/courses/{COURSE}/modules/{first_slug}")
    shot("module")
    quiz_url = f"{base}/courses/{COURSE}/modules/{first_slug}/quiz"
    page.goto(quiz_url)
    shot("quiz")
    fill_quiz(page, first_quiz, skip=len(first_quiz))
    submit(page)
    shot("quiz-missing-answer")
    page.goto(quiz_url)
    fill_quiz(page, first_quiz, right=False)
    submit(page)
    shot("result-fail")
    page.goto(quiz_url)
    fill_quiz(page, first_quiz)
    submit(page)
    shot("result-pass")
    for slug, questions in modules[1:]:
        page.goto(f"{base}/courses/{COURSE}/modules/{slug}")
        if questions:
            page.goto(f"{base}/courses/{COURSE}/modules/{slug}/quiz")
            fill_quiz(page, questions)
            submit(page)
            assert page.locator("section.result-pass").count() == 1, f"{slug}: not passed"
    page.goto(f"{base}/courses/{COURSE}")
    shot("course-completed")
    page.goto(f"{base}/courses/no-such-course")
    shot("not-found")
    context.close()
    return files


def shoot_trainer(browser, base: str, width: int, outdir: Path) -> list[Path]:
    """The trainer's pages: teaching index, quiz statistics, import preview, grading queue."""
    first_slug = seed_modules()[0][0]
    camera = Camera(browser, width, outdir, prefix="t", check=screenshots_admin.check)
    context, page, shot, files = camera.context, camera.page, camera.shot, camera.files

    page.goto(f"{base}/login")
    page.fill('input[name="username"]', f"trainer{width}")
    page.fill('input[name="password"]', PASSWORD)
    submit(page)
    page.goto(f"{base}/author/")
    shot("teaching")
    page.goto(f"{base}/author/courses/{COURSE}/modules/{first_slug}/quiz")
    shot("quiz-statistics")
    page.goto(f"{base}/author/courses/{COURSE}/modules/{first_slug}/import")
    shot("import")
    page.set_input_files('input[type="file"]',
                         str(ROOT / "tests" / "data" / "gift" / "moodle-examples.txt"))
    submit(page)
    shot("import-preview")
    page.goto(f"{base}/author/grading")
    shot("grading-queue")
    screenshots_author.shoot_authoring(camera, base, submit)
    context.close()
    return files


def shoot_admin(browser, base: str, width: int, outdir: Path, world) -> list[Path]:
    camera = Camera(browser, width, outdir, prefix="a", check=screenshots_admin.check)
    screenshots_admin.shoot_admin(camera, base, COURSE, world, PASSWORD)
    return camera.files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", nargs="?", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--admin", action="store_true", help="shoot the admin room instead")
    arguments = parser.parse_args()
    outdir = arguments.outdir
    outdir.mkdir(parents=True, exist_ok=True)
    if not Path(CHROMIUM).exists():
        print(f"Needs Debian's chromium at {CHROMIUM}: apt-get install chromium", file=sys.stderr)
        return 1
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log lines
    with tempfile.TemporaryDirectory(prefix="lms-shots-") as temp:
        if arguments.admin:
            app = new_app(Path(temp))
            world = screenshots_admin.make_data(app, app.test_cli_runner(), COURSE, PASSWORD)
        else:
            app = build_app(Path(temp))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_port}"
        files: list[Path] = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    for width in WIDTHS:
                        if arguments.admin:
                            files += shoot_admin(browser, base, width, outdir, world)
                            continue
                        files += shoot_width(browser, base, width, outdir)
                        files += shoot_trainer(browser, base, width, outdir)
                finally:
                    browser.close()
        finally:
            server.shutdown()
            server.server_close()
            app.extensions["lms"].engine.dispose()
    for path in files:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
