"""A course zip's wrong rules, quiz settings and cites are listed on its draft page in the
language the trainer chose (issue 13), as is a cite the question form refuses. The loader
raises them without a request; the page says them in Chinese by default, English once
chosen, and nothing in the other language."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from markupsafe import escape

from lms.content.course_zip import zip_course
from tests.cli.test_course_file_languages import SAYS, write_courses
from tests.conftest import csrf_token, post_form

IMPORT = "/author/courses/import-zip"


def choose(client, locale: str) -> None:
    """Pick the language with the header's switch, as a trainer does."""
    assert post_form(client, "/locale", {"locale": locale, "next": "/author/"},
                     token_from="/author/").status_code == 302


def zipped(folder: Path, slug: str) -> bytes:
    return zip_course({path.name: path.read_text("utf-8") for path in folder.iterdir()}, slug)


def import_as_draft(client, data: bytes) -> str:
    response = client.post(IMPORT, data={"csrf_token": csrf_token(client, IMPORT),
                                         "file": (io.BytesIO(data), "course.zip")},
                           content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return client.get(response.location).get_data(as_text=True)


def listed(page: str, css: str) -> str:
    found = re.search(rf'<ul class="{css}">(.*?)</ul>', page, re.S)
    return found.group(1) if found else ""


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_the_draft_page_lists_rule_setting_and_cite_problems_in_the_chosen_language(
        client, login_as, tmp_path, locale):
    login_as("trainer")
    choose(client, locale)
    write_courses(tmp_path)
    problems = listed(import_as_draft(client, zipped(tmp_path / "wrong", "wrong-rules")),
                      "problems")
    warnings = listed(import_as_draft(client, zipped(tmp_path / "uncited", "uncited")),
                      "problems warnings")
    for words in SAYS[locale][:-1]:
        assert escape(words) in problems, words
    assert escape(SAYS[locale][-1]) in warnings
    other = SAYS["en" if locale == "zh_CN" else "zh_CN"]
    shown = problems + warnings
    assert not any(escape(words.split(": ", 1)[1]) in shown for words in other), shown


CHAPTER = "/author/courses/cite-form/draft/files/01-introduction.md/questions/new?type=true_false"


@pytest.mark.parametrize(("locale", "cite", "words"), [
    ("zh_CN", "甲" * 501, "超过 500 个字：请只摘录一段话"),
    ("en", "甲" * 501, "is longer than 500 characters: quote one passage"),
])
def test_a_cite_the_question_form_refuses_is_explained_in_the_chosen_language(
        client, login_as, locale, cite, words):
    login_as("trainer")
    assert post_form(client, "/author/courses/new", {"title": "引文课", "slug": "cite-form"},
                     token_from="/author/").status_code == 303
    choose(client, locale)
    form = client.get(CHAPTER).get_data(as_text=True)
    revision = re.search(r'name="revision"[^>]*value="(\d+)"', form).group(1)
    refused = post_form(client, CHAPTER, {"prompt": "党支部是党的基础组织。", "answer": "正确",
                                          "cite": cite, "revision": revision})
    error = re.search(r'<p class="field-error" id="cite-error">([^<]*)</p>',
                      refused.get_data(as_text=True))
    assert refused.status_code == 400 and error and words in error.group(1)
