"""A web worker imports only what serving pages needs.

Alembic (with Mako and Pygments), openpyxl (with Pillow and lxml), segno, WeasyPrint and the
``flask lms`` commands are imported by the migrations, uploads, downloads and commands that use
them. A fresh interpreter builds the app, signs a trainee in and opens a module page; none of
them may be loaded by then (the import time itself is measured in bench/, not here).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from lms import migrate
from lms.services import accounts
from lms.unit_of_work import unit_of_work
from tests.conftest import ROOT, SEED_COURSES, build_app, load_course_folder

NOT_FOR_PAGES = ("alembic", "mako", "pygments", "openpyxl", "PIL", "lxml", "segno",
                 "weasyprint", "docx", "smtplib", "lms.cli", "lms.migrations")


def not_for_pages(name: str) -> bool:
    """A module of ``NOT_FOR_PAGES`` or inside one of its packages (``lms.cli_group``, the
    stand-in ``init_app`` registers, is not ``lms.cli``)."""
    return any(name == unwanted or name.startswith(unwanted + ".") for unwanted in NOT_FOR_PAGES)

WORKER = """
import json, re, sys
from lms import create_app

app = create_app({"LMS_DATABASE_URL": sys.argv[1], "SECRET_KEY": "import-cost",
                  "LMS_RATELIMIT_ENABLED": False})
client = app.test_client()
token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").text).group(1)
signed_in = client.post("/login", data={"username": "reader", "password": "correct-horse-1",
                                        "csrf_token": token})
assert signed_in.status_code == 302, signed_in.status_code
course = re.search(r'href="(/courses/[^"/]+)"', client.get("/").text).group(1)
module = re.search(r'href="(/courses/[^"/]+/modules/[^"/]+)"', client.get(course).text).group(1)
assert client.get(module).status_code == 200, module
print(json.dumps(sorted(sys.modules)))
"""


def modules_after_a_module_page(url: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", WORKER, url], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout))


def test_serving_a_module_page_imports_no_migration_spreadsheet_or_pdf_library(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'lms.sqlite3'}"
    app = build_app(url, tmp_path)  # the schema, a course and a trainee, made in this process
    migrate.upgrade(app.extensions["lms"].engine)
    load_course_folder(app, sorted(SEED_COURSES.glob("*/course.yml"))[0].parent)
    with app.app_context():
        session = app.extensions["lms"].session()
        with unit_of_work(session):
            accounts.create_user(session, username="reader", display_name="读者", role="trainee",
                                 password="correct-horse-1", unit_path="党委/第一党总支/第一党支部")
    app.extensions["lms"].engine.dispose()

    loaded = modules_after_a_module_page(url)
    assert "lms.learn.views" in loaded  # the page was served by this interpreter
    assert sorted(filter(not_for_pages, loaded)) == []
