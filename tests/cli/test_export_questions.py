"""``flask lms export-questions``: the file's name gives its format, and a file that cannot be
written is a clear error, never a traceback (issue 13)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from lms.content.gift import parse_gift

EXPORT = ["lms", "export-questions", "--course", "assess", "--module", "scoring"]


def test_the_format_follows_the_file_name_when_not_given(app, runner, tmp_path):
    excel, gift = tmp_path / "题库.xlsx", tmp_path / "题库.TXT"
    for out in (excel, gift):
        result = runner.invoke(args=[*EXPORT, "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert f"到 {out}。" in result.output
    rows = list(load_workbook(io.BytesIO(excel.read_bytes())).worksheets[0].iter_rows(
        values_only=True))
    assert rows[0][0] == "题型" and len(rows) > 1
    parsed = parse_gift(gift.read_text("utf-8"), app.extensions["lms"].question_types)
    assert parsed.questions and not parsed.skipped
    assert len(parsed.questions) == len(rows) - 1


@pytest.mark.parametrize(("args", "name", "words"), [
    (["--format", "xlsx"], "bank.gift",
     "--format xlsx 与文件名 {out} 不符：请命名为 {folder}/bank.xlsx"),
    (["--format", "gift"], "bank.xlsx",
     "--format gift 与文件名 {out} 不符：请命名为 {folder}/bank.gift"),
    (["--format", "gift"], "bank", "--format gift 与文件名 {out} 不符：请命名为 {folder}/bank.gift"),
    ([], "bank.csv", "{out} 的扩展名不是 .gift、.txt（GIFT）或 .xlsx（Excel）"),
])
def test_a_name_that_does_not_say_the_format_is_refused(runner, tmp_path, args, name, words):
    out = tmp_path / name
    result = runner.invoke(args=[*EXPORT, *args, "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert words.format(out=out, folder=tmp_path) in result.output
    assert "Traceback" not in result.output and not out.exists()


@pytest.mark.parametrize(("locale", "words"), [
    ("zh_CN", "文件夹 {folder} 不存在：请先创建它，或换一个 --out。"),
    ("en", "The folder {folder} does not exist: create it first, or choose another --out."),
])
def test_a_folder_that_does_not_exist_is_a_clear_error(app, runner, tmp_path, monkeypatch,
                                                       locale, words):
    monkeypatch.setitem(app.config, "LMS_DEFAULT_LOCALE", locale)
    folder = tmp_path / "没有的文件夹"
    result = runner.invoke(args=[*EXPORT, "--out", str(folder / "bank.gift")])
    assert result.exit_code == 2, result.output
    assert words.format(folder=folder) in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not folder.exists()


def test_a_file_that_cannot_be_written_is_a_clear_error(runner, tmp_path):
    parent = tmp_path / "bank"
    parent.write_text("a file where a folder should be", "utf-8")
    result = runner.invoke(args=[*EXPORT, "--out", str(parent / "bank.gift")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert f"无法写入 {parent / 'bank.gift'}：" in result.output
