"""A question type shipped as its own distribution is found through its entry point alone.

The example plugin in ``tests/plugins/lms-likert-plugin`` is built into a wheel and installed
into a private folder; a child process with that folder on ``PYTHONPATH`` loads a course that
uses ``type: likert``, takes the quiz and gets the plugin's grade, lists the type under its
distribution and round-trips it through an Excel bank, while a child process without it does
not know the type at all.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = Path(__file__).resolve().parent / "plugins" / "lms-likert-plugin"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable

pytestmark = pytest.mark.slow

COURSE_YML = """\
slug: likert-demo
title: 量表题插件演示
description: 用插件题型“量表题”检验学习效果。
pass_mark: 60
modules:
  - 00-self-check.md
"""

MODULE_MD = """\
---
slug: self-check
title: 学习自评
minutes: 3
---

## 自评

请根据实际情况作答。

```quiz
- type: likert
  prompt: 我能够准确说出“三会一课”的具体内容。
  answer: E
  points: 2
  explanation: EXPECTED-MARKER 期望的回答是“非常同意”。
```
"""

# Runs in a child process; {tmp} and {courses} are filled in below.
SCRIPT = """
import json
import re
from lms import create_app, migrate
from lms.content.xlsx_bank import read_question_bank, write_question_bank

app = create_app({{"LMS_DATABASE_URL": "sqlite:///{tmp}/{db}", "SECRET_KEY": "x",
                   "WTF_CSRF_ENABLED": False}}, instance_path="{tmp}")
migrate.upgrade(app.extensions["lms"].engine)
names = app.extensions["lms"].question_types.names()
runner = app.test_cli_runner()
loaded = runner.invoke(args=["lms", "load-courses", "{courses}"])

if "likert" not in names:
    print("NO-LIKERT", loaded.exit_code)
    print(loaded.output)
    raise SystemExit(0)

assert loaded.exit_code == 0, loaded.output

likert = app.extensions["lms"].question_types["likert"]
assert type(likert).__module__ == "lms_likert", type(likert).__module__
spec = likert.load_spec({{"type": "likert", "prompt": "p", "answer": "B", "points": 4}})
other_key = likert.load_spec({{"type": "likert", "prompt": "p", "answer": "D", "points": 4}})
assert len(spec["options"]) == 5 and likert.public_spec(spec) == likert.public_spec(other_key)
grades = [likert.grade(spec, i).earned for i in range(5)]
assert grades == [2, 4, 2, 0, 0], grades  # A and C are next to the expected B

listed = json.loads(runner.invoke(args=["lms", "plugins", "--json"]).output)
assert {{"kind": "question_type", "name": "likert",
         "source": "lms-likert-plugin 0.1.0"}} in listed, listed

registry = app.extensions["lms"].question_types
(row,) = read_question_bank(write_question_bank([("likert", spec)], registry), registry)
assert row.raw["type"] == "likert" and likert.load_spec(row.raw) == spec, row

made = runner.invoke(args=["lms", "create-user", "u1", "--name", "学员", "--password-stdin"],
                     input="plugin-pass-1\\n")
assert made.exit_code == 0, made.output
client = app.test_client()
login = client.post("/login", data={{"username": "u1", "password": "plugin-pass-1"}})
assert login.status_code == 302, login.status_code

page = client.get("/courses/likert-demo/modules/self-check/quiz")
assert page.status_code == 200, page.status_code
html = page.get_data(as_text=True)
for label in ("非常不同意", "不同意", "中立", "同意", "非常同意"):
    assert label in html, label
assert html.count('type="radio" name="q1"') == 5, html
assert 'class="options likert-scale options-scale"' in html, "the plugin's own template was not used"
assert ' style="' not in html, "the page's CSP would block an inline style"
assert '<span class="q-type">量表题</span>' in html
assert "EXPECTED-MARKER" not in html
action = re.search(r'<form method="post" class="quiz" id="quiz-form"\\s+action="([^"]+)"',
                   html).group(1)

# D is next to the expected E: half of 2 points, 50 %, below the pass mark of 60.
submitted = client.post(action, data={{"q1": "3"}}, follow_redirects=True)
assert submitted.status_code == 200, submitted.status_code
result = submitted.get_data(as_text=True)
assert '<span class="score-value">50</span>' in result, result
assert "不及格" in result and "量表题" in result, result
assert "1/2" in result and "EXPECTED-MARKER" in result, result
print("LIKERT-GRADED 50")
"""


def run(args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    result = subprocess.run(args, capture_output=True, text=True, timeout=120, env=env, cwd=cwd)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_likert_type_comes_only_from_the_installed_distribution(tmp_path):
    # Build from a copy: an in-tree setuptools build would leave build/ and *.egg-info in tests.
    source = tmp_path / "src"
    shutil.copytree(PLUGIN, source, ignore=shutil.ignore_patterns("__pycache__", "build",
                                                                    "*.egg-info"))
    dist = tmp_path / "dist"
    run([PYTHON, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "--disable-pip-version-check", "-w", str(dist), str(source)])
    wheel = next(dist.glob("lms_likert_plugin-0.1.0-*.whl"))
    site = tmp_path / "site"
    run([PYTHON, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
         "--disable-pip-version-check", "--target", str(site), str(wheel)])
    assert (site / "lms_likert" / "templates" / "lms_likert" / "likert.html").is_file()

    courses = tmp_path / "courses"
    (courses / "likert-demo").mkdir(parents=True)
    (courses / "likert-demo" / "course.yml").write_text(COURSE_YML, "utf-8")
    (courses / "likert-demo" / "00-self-check.md").write_text(MODULE_MD, "utf-8")

    outside = tmp_path / "elsewhere"  # not the repository, so nothing is found by accident
    outside.mkdir()
    base_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}

    with_plugin = run(
        [PYTHON, "-c", textwrap.dedent(SCRIPT).format(tmp=tmp_path, db="p.db", courses=courses)],
        env={**base_env, "PYTHONPATH": str(site)}, cwd=outside)
    assert "LIKERT-GRADED 50" in with_plugin, with_plugin

    without_plugin = run(
        [PYTHON, "-c", textwrap.dedent(SCRIPT).format(tmp=tmp_path, db="q.db", courses=courses)],
        env=base_env, cwd=outside)
    assert without_plugin.startswith("NO-LIKERT 1"), without_plugin
    assert "无法识别的题型 'likert'" in without_plugin, without_plugin
    assert "00-self-check.md:" in without_plugin, without_plugin
