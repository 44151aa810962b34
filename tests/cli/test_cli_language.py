"""Every ``flask lms`` message is in ``LMS_DEFAULT_LOCALE``: Chinese by default, English when
so configured (issue 13), from the environment as an operator sets it."""

from __future__ import annotations

import pytest

from tests.author.test_author_views import bank_count
from tests.conftest import build_app

#: Line 1 imports; line 3 has an unclosed name, line 5 no number.
BAD_GIFT = ("::好题:: 支部党员大会多久召开一次？ {=每季度 ~每年}\n\n"
            "::坏名字 党课多久一次？ {=每季度 ~每年}\n\n"
            "党费按月交纳，一年交几次？ {#十二}\n")
IMPORT = ["lms", "import-questions", "--course", "assess", "--module", "scoring"]
SAYS = {
    "zh_CN": ["未导入：第3行：无法解析：题目名称缺少结尾的 ::", "未导入：第5行：数值题的答案有误",
              "正在导入题目", "已导入 1 道题到 assess/scoring（2 道无法导入）。"],
    "en": ["not imported: Line 3: unparseable: the question name is not closed with ::",
           "not imported: Line 5: Numerical, answer:", "Importing questions",
           "Imported 1 questions into assess/scoring (2 could not be imported)."],
}
#: What the other language would say: none of it may show.
FOREIGN = {"zh_CN": ["Line ", "unparseable", "Imported", "skipped"],
           "en": ["第3行", "无法解析", "已导入", "正在"]}


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_a_bank_import_reports_in_the_configured_language(app, runner, db, tmp_path,
                                                          monkeypatch, locale):
    monkeypatch.setitem(app.config, "LMS_DEFAULT_LOCALE", locale)
    bank = tmp_path / "bank.gift"
    bank.write_text(BAD_GIFT, "utf-8")
    result = runner.invoke(args=[*IMPORT, str(bank)])
    assert result.exit_code == 0, result.output
    for words in SAYS[locale]:
        assert words in result.output, result.output
    for words in FOREIGN[locale]:
        assert words not in result.output, result.output
    assert bank_count(db) == 1


@pytest.mark.parametrize(("locale", "first", "again", "missing"), [
    ("zh_CN", "数据库已从 空数据库 迁移到", "数据库已是最新版本", "没有课程 no-such-course。"),
    ("en", "The database was migrated from an empty database to",
     "The database is up to date", "There is no course no-such-course."),
])
def test_the_environment_setting_chooses_the_language(empty_database, tmp_path, monkeypatch,
                                                      locale, first, again, missing):
    monkeypatch.setenv("LMS_DEFAULT_LOCALE", locale)
    app = build_app(empty_database, tmp_path)  # LMS_DEFAULT_LOCALE is read from the environment
    try:
        runner = app.test_cli_runner()
        assert first in runner.invoke(args=["lms", "init"]).output
        assert again in runner.invoke(args=["lms", "init"]).output
        result = runner.invoke(args=["lms", "export-questions", "--course", "no-such-course",
                                     "--out", str(tmp_path / "bank.gift")])
        assert result.exit_code == 2 and missing in result.output, result.output
    finally:
        app.extensions["lms"].engine.dispose()


def test_a_host_apps_commands_speak_from_lms_catalog(tmp_path):
    """A host's Babel looks for catalogs beside the host; LMS's commands still find LMS's."""
    from tests.test_extension import make_host

    host, _ = make_host(tmp_path)
    try:
        result = host.test_cli_runner().invoke(args=["lms", "courses"])
        assert result.exit_code == 0, result.output
        assert "（9 个章节）" in result.output and "导读：摘要与关键词  5 分钟" in result.output
    finally:
        host.extensions["lms"].engine.dispose()


@pytest.mark.parametrize(("locale", "words"), [("zh_CN", "没有导入任何内容。"),
                                               ("en", "Nothing was imported.")])
def test_outside_a_request_the_default_language_is_spoken(app, monkeypatch, locale, words):
    """A timer or a script in an app context has no visitor who chose: the default holds."""
    from flask_babel import gettext

    monkeypatch.setitem(app.config, "LMS_DEFAULT_LOCALE", locale)
    with app.app_context():
        app.extensions["lms"].translations.as_default()
        assert gettext("Nothing was imported.") == words


#: A course file's problems as ``load-courses`` reports them: the loader's own words and a
#: question type's, each after ``file:line:``.
COURSE_SAYS = {
    "zh_CN": ["01-m1.md:4: minutes 必须是预计学习的分钟数，1 到 600 的整数",
              "02-m1.md:14: 第 1 题：answer：Z 不在选项 A–B 之中", "坏课程：未载入"],
    "en": ["01-m1.md:4: minutes must be a whole number of estimated minutes (1-600)",
           "02-m1.md:14: question 1: answer: Z is not one of the options A–B",
           "坏课程: not loaded"],
}


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_a_bad_course_file_is_reported_in_the_configured_language(app, runner, tmp_path,
                                                                  monkeypatch, locale):
    from tests.conftest import write_course_folder

    monkeypatch.setitem(app.config, "LMS_DEFAULT_LOCALE", locale)
    question = {"type": "single_choice", "prompt": "几次？", "options": ["一", "二"],
                "answer": "Z"}
    write_course_folder(tmp_path / "courses" / "坏课程", slug="bad-course", title="坏课程",
                        modules=[{"minutes": "半小时"}, {"slug": "m1", "questions": [question]}])
    result = runner.invoke(args=["lms", "load-courses", str(tmp_path / "courses")])
    assert result.exit_code == 1, result.output
    for words in COURSE_SAYS[locale]:
        assert words in result.output, result.output
    other = COURSE_SAYS["en" if locale == "zh_CN" else "zh_CN"]
    assert not any(words in result.output for words in other), result.output
