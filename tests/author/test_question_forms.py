"""A chapter's questions edited over HTTP through forms built from each type's fields."""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.models import DraftFile
from tests.conftest import csrf_token, post_form, sign_in

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "lms-likert-plugin"))
from lms_likert import Likert  # noqa: E402  (the example plugin type, not installed here)

SLUG = "ti-mu-ke"
CHAPTER = "01-introduction.md"
PAGE = f"/author/courses/{SLUG}/draft/files/{CHAPTER}"
QUESTIONS = f"{PAGE}/questions"
GOOD = {"prompt": "党的最高领导机关是？", "options": "全国代表大会\n中央委员会\n中央政治局",
        "answer": "A", "explanation": "见党章第十条。", "points": "2"}


def create_course(client, login_as):
    login_as("trainer")
    response = post_form(client, "/author/courses/new", {"title": "题目课", "slug": SLUG},
                         token_from="/author/")
    assert response.status_code == 303


def chapter_text(db) -> str:
    row = db.scalar(select(DraftFile).where(DraftFile.name == CHAPTER)
                    .execution_options(populate_existing=True))
    return row.text


def form_revision(page: str) -> str:
    return re.search(r'name="revision"[^>]*value="(\d+)"', page).group(1)


def open_form(client, url: str) -> tuple[str, str]:
    page = client.get(url)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    return text, form_revision(text)


def add(client, data: dict, type_name: str = "single_choice"):
    url = f"{QUESTIONS}/new?type={type_name}"
    _, revision = open_form(client, url)
    return post_form(client, url, {**data, "revision": revision})


def edit_url(page: str) -> str:
    return html.unescape(re.search(r'href="([^"]*/questions/edit/[^"]+)"', page).group(1))


def test_a_trainer_adds_edits_and_removes_a_question_that_trainees_then_answer(
        client, login_as, db, make_user):
    create_course(client, login_as)
    page = client.get(PAGE).get_data(as_text=True)
    assert 'id="questions"' in page and 'value="single_choice"' in page
    assert all(f'value="{name}"' in page for name in
               ("multiple_choice", "true_false", "fill_blank", "ordering", "short_answer"))

    form, _ = open_form(client, f"{QUESTIONS}/new?type=single_choice")
    assert all(f'name="{name}"' in form for name in GOOD)
    assert '<label for="answer">' in form and 'id="answer-help"' in form

    added = add(client, GOOD)
    assert added.status_code == 303 and added.headers["Location"].endswith("#questions")
    text = chapter_text(db)
    assert text.startswith("---\nslug: introduction\n") and "在这里写本章的内容。" in text
    assert ("```quiz\n- id: introduction-1\n  type: single_choice\n  prompt: 党的最高领导机关是？\n"
            "  options:\n    - 全国代表大会\n") in text
    assert "  answer: A\n" in text and "  points: 2\n" in text

    page = client.get(PAGE).get_data(as_text=True)
    assert "党的最高领导机关是？" in page
    url = edit_url(page)
    assert url.endswith("/questions/edit/introduction-1")
    form, revision = open_form(client, url)
    assert "全国代表大会\n中央委员会\n中央政治局</textarea>" in form and 'value="A"' in form

    # A letter that is not an option is refused at the answer field, with everything kept.
    typed = {**GOOD, "prompt": "改过的题干？", "answer": "Z", "revision": revision}
    refused = post_form(client, url, typed)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    error = re.search(r'<p class="field-error" id="answer-error">([^<]*)</p>', body)
    assert error and "Z 不在选项 A–C 之中" in html.unescape(error.group(1))
    assert 'aria-invalid="true"' in body and "改过的题干？" in body and 'value="Z"' in body
    assert "改过的题干？" not in chapter_text(db)

    saved = post_form(client, url, {**typed, "answer": "C"})
    assert saved.status_code == 303
    text = chapter_text(db)
    assert "- id: introduction-1\n" in text and "改过的题干？" in text and "answer: C" in text

    # A second question, then the first goes: the second keeps its own id.
    assert add(client, {"prompt": "党支部是党的基础组织。", "answer": "正确"},
               "true_false").status_code == 303
    page = client.get(PAGE).get_data(as_text=True)
    remove = f"{QUESTIONS}/remove/introduction-1"
    kept = post_form(client, remove, {"revision": form_revision(page)}, token_from=PAGE)
    assert kept.status_code == 303 and "introduction-1" in chapter_text(db)
    post_form(client, remove, {"revision": form_revision(page), "confirm_remove": "y"},
              token_from=PAGE)
    text = chapter_text(db)
    assert "introduction-1" not in text and "- id: introduction-2\n  type: true_false" in text

    published = post_form(client, f"/author/courses/{SLUG}/draft/publish",
                          {"confirm_publish": "y"}, token_from=f"/author/courses/{SLUG}/draft")
    assert published.status_code == 303
    trainee, password = make_user("trainee")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    sign_in(client, trainee.username, password)
    quiz = client.get(f"/courses/{SLUG}/modules/introduction/quiz").get_data(as_text=True)
    assert "党支部是党的基础组织。" in quiz and "改过的题干？" not in quiz


def test_a_save_over_a_newer_chapter_is_refused_and_keeps_what_was_typed(client, login_as, db):
    create_course(client, login_as)
    _, revision = open_form(client, f"{QUESTIONS}/new?type=single_choice")
    page = client.get(PAGE).get_data(as_text=True)
    body = "---\nslug: introduction\ntitle: 第一章\nminutes: 5\n---\n\n别人改的正文。\n"
    assert post_form(client, PAGE, {"text": body, "revision": form_revision(page)}
                     ).status_code == 303
    clash = post_form(client, f"{QUESTIONS}/new?type=single_choice",
                      {**GOOD, "revision": revision})
    assert clash.status_code == 409
    assert "党的最高领导机关是？" in clash.get_data(as_text=True)
    assert chapter_text(db) == body
    # Saving again from the page now applies to their text, which is kept.
    again = post_form(client, f"{QUESTIONS}/new?type=single_choice",
                      {**GOOD, "revision": form_revision(clash.get_data(as_text=True))})
    assert again.status_code == 303
    assert "别人改的正文。" in chapter_text(db) and "党的最高领导机关是？" in chapter_text(db)


def test_questions_written_by_hand_keep_their_identity_and_the_rest_of_the_file(
        client, login_as, db):
    create_course(client, login_as)
    page = client.get(PAGE).get_data(as_text=True)
    body = ("---\nslug: introduction\ntitle: 第一章\nminutes: 5\n---\n\n正文。\n\n"
            "```quiz\n- type: true_false\n  prompt: 对吗？\n  answer: 对\n"
            "  cite: 正文\n```\n\n结尾的话。\n")
    post_form(client, PAGE, {"text": body, "revision": form_revision(page)})
    page = client.get(PAGE).get_data(as_text=True)
    url = edit_url(page)
    assert "/edit/introduction/" in url  # a key derived from the prompt
    form, revision = open_form(client, url)
    assert '<option selected value="正确">' in form and "正文</textarea>" in form
    assert post_form(client, url, {"prompt": "改写后还对吗？", "answer": "错误", "cite": "正文",
                                   "revision": revision}).status_code == 303
    text = chapter_text(db)
    key = url.rsplit("/edit/", 1)[1]
    assert f"- id: {key}\n  type: true_false\n  prompt: 改写后还对吗？\n  answer: 错误\n" \
           f"  cite: 正文\n```\n\n结尾的话。\n" in text
    assert text.startswith("---\nslug: introduction\ntitle: 第一章\nminutes: 5\n---\n\n正文。\n")


def test_a_broken_quiz_block_is_shown_and_not_rewritten(client, login_as, db):
    create_course(client, login_as)
    page = client.get(PAGE).get_data(as_text=True)
    body = ("---\nslug: introduction\ntitle: 第一章\nminutes: 5\n---\n\n正文。\n\n"
            "```quiz\n- type: no_such_type\n  prompt: 坏题\n```\n")
    post_form(client, PAGE, {"text": body, "revision": form_revision(page)})
    page = client.get(PAGE).get_data(as_text=True)
    assert "无法识别的题型 &#39;no_such_type&#39;" in page and "/questions/new" not in page
    refused = client.get(f"{QUESTIONS}/new?type=single_choice")
    assert refused.status_code == 303 and chapter_text(db) == body


def test_unknown_types_chapters_and_questions_are_not_found(client, login_as):
    create_course(client, login_as)
    assert client.get(f"{QUESTIONS}/new?type=nope").status_code == 404
    assert client.get(f"{QUESTIONS}/new").status_code == 404
    assert client.get(f"/author/courses/{SLUG}/draft/files/course.yml/questions/new"
                      "?type=single_choice").status_code == 404
    assert client.get(f"{QUESTIONS}/edit/introduction-9").status_code == 404


@pytest.fixture
def with_likert(app):
    """The example plugin type registered on the app for one test, as its entry point would."""
    registry = app.extensions["lms"].question_types
    registry.register(Likert, "lms-likert-plugin (tests)")
    try:
        yield
    finally:
        registry._types.pop("likert", None)
        registry._sources.pop("likert", None)


def test_a_plugin_type_is_offered_and_edited_with_a_form_from_its_keys(
        client, login_as, db, with_likert):
    create_course(client, login_as)
    page = client.get(PAGE).get_data(as_text=True)
    assert '<option value="likert">量表题</option>' in page
    form, _ = open_form(client, f"{QUESTIONS}/new?type=likert")
    assert all(f'name="{name}"' in form for name in ("prompt", "options", "answer", "points"))
    refused = add(client, {"prompt": "我能说出“三会一课”。", "answer": "K"}, "likert")
    assert refused.status_code == 400 and 'id="answer-error"' in refused.get_data(as_text=True)
    assert add(client, {"prompt": "我能说出“三会一课”。", "answer": "D"},
               "likert").status_code == 303
    text = chapter_text(db)  # the plugin's file_write spells out its default scale
    assert "  type: likert\n  prompt: 我能说出“三会一课”。\n  options:\n    - 非常不同意\n" in text
    assert "  answer: D\n```\n" in text


def test_an_expired_form_comes_back_with_what_was_typed(client, login_as):
    create_course(client, login_as)
    _, revision = open_form(client, f"{QUESTIONS}/new?type=single_choice")
    expired = client.post(f"{QUESTIONS}/new?type=single_choice",
                          data={**GOOD, "revision": revision, "csrf_token": "stale"})
    body = expired.get_data(as_text=True)
    assert expired.status_code == 400 and "党的最高领导机关是？" in body
    assert 'role="alert"' in body and re.search(r'name="csrf_token"[^>]*value="[^"]{20,}"', body)
