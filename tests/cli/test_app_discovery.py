"""``flask --app lms lms …`` works as the README says: Flask's discovery finds ``lms.create_app``,
so an installed package needs no wsgi.py (issue 13; tests/test_wheel.py runs it installed)."""

from __future__ import annotations

from click.testing import CliRunner
from flask.cli import ScriptInfo
from flask.cli import cli as flask_command


def test_flask_app_lms_builds_the_app_from_the_environment(empty_database, tmp_path,
                                                           monkeypatch):
    monkeypatch.setenv("LMS_DATABASE_URL", empty_database)
    monkeypatch.setenv("LMS_SECRET_KEY", "discovery-test")
    monkeypatch.chdir(tmp_path)  # no wsgi.py here: only the package is found
    info = ScriptInfo()
    try:
        result = CliRunner().invoke(flask_command, ["--app", "lms", "lms", "init"], obj=info)
        assert result.exit_code == 0, result.output
        assert "数据库已从 空数据库 迁移到" in result.output
        again = CliRunner().invoke(flask_command, ["--app", "lms", "lms", "courses"], obj=info)
        assert again.exit_code == 0 and "还没有载入课程" in again.output, again.output
    finally:
        info.load_app().extensions["lms"].engine.dispose()
