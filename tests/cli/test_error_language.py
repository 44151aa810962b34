"""A ``flask lms`` command's refusal follows ``LMS_DEFAULT_LOCALE`` (issue 13): click's frame
("Usage", "Try … --help", "Error") and its usual usage errors as well as our own words."""

from __future__ import annotations

from click.testing import CliRunner
from flask.cli import ScriptInfo
from flask.cli import cli as flask_command


def _refused(runner, *args: str) -> str:
    result = runner.invoke(args=["lms", *args])
    assert result.exit_code != 0, result.output
    return result.output


def test_an_unknown_option_is_refused_in_chinese(runner):
    output = _refused(runner, "export-questions", "--bogus")
    assert output.startswith("用法：") and "lms export-questions [OPTIONS]" in output, output
    assert "lms export-questions --help' 查看帮助。" in output, output
    assert "错误：没有选项 '--bogus'。" in output, output
    assert "Error" not in output and "Try" not in output, output


def test_missing_options_and_unknown_commands_in_chinese(runner):
    assert "错误：缺少选项 '--course'。" in _refused(runner, "export-questions")
    assert "错误：没有命令 'expor'。" in _refused(runner, "expor")
    refused = _refused(runner, "demo-data", "--modules", "many")
    assert "错误：'--modules' 的值无效：" in refused, refused


def test_a_commands_own_refusal_is_framed_in_chinese(runner, tmp_path):
    output = _refused(runner, "export-questions", "--course", "nowhere",
                      "--out", str(tmp_path / "bank.gift"))
    assert "错误：" in output and "nowhere" in output and "Error" not in output, output


def test_english_when_so_configured(app, runner, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_DEFAULT_LOCALE", "en")
    output = _refused(runner, "export-questions", "--bogus")
    assert output.startswith("Usage: ") and "lms export-questions --help' for help." in output
    assert "Error: No such option: '--bogus'." in output, output
    assert "Error: Missing option '--course'." in _refused(runner, "export-questions")
    assert "用法" not in output and "错误" not in output, output


def test_a_database_without_tables_asks_for_init(empty_database, tmp_path, monkeypatch):
    """Not an SQLAlchemy traceback: the one step that is missing."""
    monkeypatch.setenv("LMS_DATABASE_URL", empty_database)
    monkeypatch.setenv("LMS_SECRET_KEY", "schema-test")
    monkeypatch.chdir(tmp_path)
    info = ScriptInfo()
    try:
        result = CliRunner().invoke(flask_command, ["--app", "lms", "lms", "export-questions",
                                                    "--course", "x", "--out", "x.gift"], obj=info)
        assert result.exit_code == 1, result.output
        assert "错误：数据库里还没有 LMS 的表" in result.output, result.output
        assert "flask lms init" in result.output and "Traceback" not in result.output
    finally:
        info.load_app().extensions["lms"].engine.dispose()
