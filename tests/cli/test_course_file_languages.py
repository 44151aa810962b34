"""Course rules, quiz settings and cites are reported in ``LMS_DEFAULT_LOCALE`` (issue 13):
``load-courses`` says each problem at its file and line in Chinese by default, in English
once so configured, and nothing in the other language."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update

from lms.models import Course, Module
from lms.unit_of_work import unit_of_work
from tests.conftest import write_course_folder

#: Five wrong rules in course.yml, a wrong quiz setting in each of two modules, an empty cite.
RULES = {"hours": 2, "final_exam": "nope", "sequential": "yes", "certificate": "maybe",
         "recur_months": 0}
QUESTION = {"type": "true_false", "prompt": "党支部是党的基础组织。", "answer": "正确"}
WRONG_MODULES = [{"slug": "a", "quiz": {"show_answers": "sometimes"}, "questions": [QUESTION]},
                 {"slug": "b", "quiz": {"attempts": 0}, "questions": [QUESTION]},
                 {"slug": "c", "questions": [{**QUESTION, "cite": ""}]}]
#: A course that loads, with one question citing a passage its module does not hold.
UNCITED_MODULES = [{"slug": "m", "text": "党支部是党的基础组织。",
                    "questions": [{**QUESTION, "id": "q-uncited", "cite": "支部书记是带头人。"}]}]

SAYS = {
    "zh_CN": [
        "course.yml:5: 无法识别的规则 'hours'（可用：certificate, final_exam, min_hours, "
        "prerequisites, recur_months, sequential, time_cap）",
        "course.yml:6: final_exam 'nope' 不是本课程任何单元的 slug",
        "course.yml:7: sequential 必须是 true 或 false",
        "course.yml:8: certificate 必须是以下之一：completed, final_exam, none",
        "course.yml:9: recur_months 必须是 1 到 120 的整数（月数）",
        "01-a.md:6: quiz.show_answers: 必须是以下之一：after_each, after_pass, never",
        "02-b.md:6: quiz.attempts: 必须是 1 到 100 的整数",
        "03-c.md:12: 第 1 题：cite：必须是非空的文字：从本单元正文中摘录的一段话",
        "01-m.md:13: 第 1 题（q-uncited）：cite：所引原文不在本单元正文中，此题需要复核",
    ],
    "en": [
        "course.yml:5: unknown rule 'hours' (known: certificate, final_exam, min_hours, "
        "prerequisites, recur_months, sequential, time_cap)",
        "course.yml:6: final_exam 'nope' is not the slug of a module of this course",
        "course.yml:7: sequential must be true or false",
        "course.yml:8: certificate must be one of: completed, final_exam, none",
        "course.yml:9: recur_months must be a whole number of months from 1 to 120",
        "01-a.md:6: quiz.show_answers: must be one of after_each, after_pass, never",
        "02-b.md:6: quiz.attempts: must be a whole number from 1 to 100",
        "03-c.md:12: question 1: cite: must be non-empty text, a passage quoted from the module",
        "01-m.md:13: question 1 (q-uncited): cite: the passage is not in the module's text; "
        "the question needs review",
    ],
}


def write_courses(root: Path) -> None:
    write_course_folder(root / "wrong", slug="wrong-rules", title="规则有误",
                        modules=WRONG_MODULES, rules=RULES)
    write_course_folder(root / "uncited", slug="uncited", title="引文有误",
                        modules=UNCITED_MODULES)


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_rules_quiz_settings_and_cites_are_reported_in_the_configured_language(
        app, runner, tmp_path, monkeypatch, locale):
    monkeypatch.setitem(app.config, "LMS_DEFAULT_LOCALE", locale)
    write_courses(tmp_path / "courses")
    result = runner.invoke(args=["lms", "load-courses", str(tmp_path / "courses")])
    assert result.exit_code == 1, result.output  # the wrong course; the other one loads
    for words in SAYS[locale]:
        assert words in result.output, words
    other = SAYS["en" if locale == "zh_CN" else "zh_CN"]
    assert not any(words.split(": ", 1)[1] in result.output for words in other), result.output


@pytest.mark.parametrize(("locale", "words"), [
    ("zh_CN", "cannot-export 无法导出：单元 m1：正文中含有 ```quiz 题目块"),
    ("en", "cannot-export cannot be exported: module m1: its text contains a ```quiz block"),
])
def test_why_a_course_cannot_be_exported_is_said_in_the_configured_language(
        app, runner, db, tmp_path, monkeypatch, make_course, locale, words):
    monkeypatch.setitem(app.config, "LMS_DEFAULT_LOCALE", locale)
    make_course([{}], slug="cannot-export")
    with unit_of_work(db):  # a text the files could not hold: it would read back as a quiz
        course_id = select(Course.id).where(Course.slug == "cannot-export").scalar_subquery()
        db.execute(update(Module).where(Module.course_id == course_id, Module.slug == "m1")
                   .values(source="正文。\n\n```quiz\n- x\n```\n"))
    result = runner.invoke(args=["lms", "export-course", "cannot-export",
                                 "--out", str(tmp_path / "c.zip")])
    assert result.exit_code == 1 and words in result.output, result.output
    assert not (tmp_path / "c.zip").exists()
