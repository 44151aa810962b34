"""The built wheel is a working library on its own: templates and courses travel inside it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What setup.cfg builds from; copied, because an in-tree build rewrites ROOT's *.egg-info, where
# tests running at the same time (pytest-xdist) read the entry points.
SOURCES = ["setup.cfg", "pyproject.toml", "README.md", "lms", "templates", "courses"]

pytestmark = pytest.mark.slow


def run(*args: str, cwd: Path | None = None) -> str:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_wheel_installs_into_a_fresh_venv_and_serves_the_seed_course(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
        "-w", str(dist), str(source))
    wheel = next(dist.glob("dangjian_lms-*.whl"))
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", str(venv))
    python = venv / "bin" / "python"
    run(str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel))

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    script = textwrap.dedent(f"""
        import lms, pathlib
        assert "site-packages" in lms.__file__, lms.__file__
        from lms import create_app, migrate
        app = create_app({{"LMS_DATABASE_URL": "sqlite:///{outside / 'w.db'}",
                           "SECRET_KEY": "k", "WTF_CSRF_ENABLED": False}},
                         instance_path="{outside / 'instance'}")
        migrate.upgrade(app.extensions["lms"].engine)
        runner = app.test_cli_runner()
        result = runner.invoke(args=["lms", "load-courses"])
        assert result.exit_code == 0, result.output
        result = runner.invoke(args=["lms", "create-user", "u1", "--name", "学员",
                                     "--password-stdin"], input="wheel-pass-1\\n")
        assert result.exit_code == 0, result.output
        client = app.test_client()
        assert client.post("/login", data={{"username": "u1",
                                            "password": "wheel-pass-1"}}).status_code == 302
        page = client.get("/courses/jiceng-dangjian/modules/overview")
        assert page.status_code == 200, page.status_code
        text = page.get_data(as_text=True)
        assert "基层党组织是基层党建工作队伍的重要组成部分" in text
        assert client.get("/assets/lms.css").status_code == 200
        print("served", len(text))
    """)
    output = run(str(python), "-c", script, cwd=outside)
    assert output.startswith("served")

    # The installed package's own commands, as the README says: `flask --app lms lms …`
    # finds lms.create_app; with no settings the data lives in <venv>/var/lms-instance.
    flask = [str(venv / "bin" / "flask"), "--app", "lms", "lms"]
    plain = {key: value for key, value in os.environ.items() if not key.startswith("LMS_")}
    for command in ("init", "load-courses", "courses"):
        done = subprocess.run([*flask, command], cwd=outside, env=plain, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
    assert "jiceng-dangjian" in done.stdout and "个章节" in done.stdout
    assert (venv / "var" / "lms-instance" / "lms.sqlite3").is_file()
