"""``flask lms --help`` follows ``LMS_DEFAULT_LOCALE`` (issue 13): the commands' and options'
help, and click's own headings, in Chinese by default and in English once so configured."""

from __future__ import annotations

import click
import pytest
from flask_babel import force_locale

from lms.cli import lms_cli
from lms.cli_help_format import width


def _every_command(group: click.Group, path: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _every_command(command, (*path, name))


COMMANDS = list(_every_command(lms_cli))


def _help(runner, *path: str) -> str:
    result = runner.invoke(args=["lms", *path, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_command_list_is_in_chinese_by_default(runner):
    output = _help(runner)
    assert output.startswith("用法：") and "lms [OPTIONS] COMMAND [ARGS]..." in output
    assert "党建培训学堂管理命令。" in output, output
    for heading in ("\n选项：\n", "\n命令：\n"):
        assert heading in output, output
    assert "显示本帮助并退出。" in output and "Show this message" not in output
    # each command says its first sentence in Chinese, not the English it is written in
    assert "Export a course" not in output and "List courses" not in output, output


def _squeezed(text: str) -> str:
    return "".join(text.split())  # help is wrapped to the terminal: compare without spaces


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_explains_itself_in_chinese(app, runner, path, command):
    shown = _help(runner, *path)
    assert shown.startswith("用法：") and not shown.startswith("用法： ")
    # wrapped by display columns (a Chinese character takes two), within an 80-column terminal
    assert max(width(line) for line in shown.splitlines()) <= 80, shown
    output = _squeezed(shown)
    texts = [command.help] + [param.help for param in command.params
                              if isinstance(param, click.Option) and param.help]
    for text in texts:
        with app.app_context(), force_locale("zh_CN"):
            chinese = app.extensions["lms"].translations.gettext(text)
        assert chinese != text, f"no Chinese for {text!r}"
        assert _squeezed(chinese) in output, output


def test_required_options_are_marked_in_chinese(runner):
    output = _help(runner, "export-questions")
    assert "[必填]" in output and "[required]" not in output, output
    demo = _help(runner, "demo-data")
    assert "[默认：1000；1<=x<=1000000]" in demo, demo


def test_english_when_so_configured(app, runner, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_DEFAULT_LOCALE", "en")
    output = _help(runner, "export-questions")
    assert output.startswith("Usage: ") and "lms export-questions [OPTIONS]" in output
    assert "Export a course's or a module's questions to the file --out." in output
    assert "[required]" in output and "Options:" in output
    assert "用法" not in output and "必填" not in output
    listing = _help(runner)
    assert "List courses with their modules and question counts." in listing
