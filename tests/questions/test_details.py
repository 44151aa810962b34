"""Details every question may carry: name, 知识点, difficulty and an HTML/Markdown prompt."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from lms.models import Question, QuestionRevision
from lms.plugins import load_question_types
from lms.questions.base import SpecError
from lms.questions.details import prompt_html, prompt_text
from lms.services.course_content import QuestionContent
from tests.conftest import csrf_token, post_form

REGISTRY = load_question_types()
CHOICE = REGISTRY["single_choice"]
RAW = {"type": "single_choice", "prompt": "党的最高领导机关是？", "options": ["甲", "乙"],
       "answer": "A"}


def test_details_are_read_normalised_and_written_back():
    spec = CHOICE.load_spec({**RAW, "title": " 党章  第十条 ", "topic": "党章",
                             "difficulty": "难", "format": "plain"})
    assert (spec["title"], spec["topic"], spec["difficulty"]) == ("党章 第十条", "党章", "hard")
    assert "format" not in spec  # plain is the default and is not stored
    written = CHOICE.file_write(spec)
    assert CHOICE.load_spec({"type": "single_choice", **written}) == spec
    assert written["difficulty"] == "hard" and written["topic"] == "党章"


@pytest.mark.parametrize(("key", "value"), [("difficulty", "very"), ("format", "pdf"),
                                            ("topic", "党" * 101), ("title", ["a"])])
def test_a_bad_detail_is_refused_naming_its_field(key, value):
    with pytest.raises(SpecError) as raised:
        CHOICE.load_spec({**RAW, key: value})
    assert raised.value.field == key


def test_questions_without_details_keep_their_hash():
    plain = QuestionContent.from_spec("k", "file", "single_choice", CHOICE.load_spec(RAW))
    assert plain.details is None
    with_topic = QuestionContent.from_spec("k", "file", "single_choice",
                                           CHOICE.load_spec({**RAW, "topic": "党章"}))
    assert with_topic.details == {"topic": "党章"} and with_topic.digest != plain.digest
    # The hash of a question without details is the one recorded before details existed.
    assert plain.digest == QuestionContent(
        key="k", origin="file", type="single_choice", prompt=RAW["prompt"],
        options=["甲", "乙"], answer=0, explanation="", points=1).digest


def test_html_prompts_are_sanitised_and_plain_ones_escaped():
    hostile = {"prompt": '<p onclick="x()">读<b>党章</b><script>alert(1)</script></p>',
               "format": "html"}
    assert str(prompt_html(hostile)) == "<p>读<b>党章</b></p>"
    assert str(prompt_html({"prompt": "<b>党章</b>"})) == "&lt;b&gt;党章&lt;/b&gt;"
    assert str(prompt_html({"prompt": "**党章**", "format": "markdown"})) == (
        "<p><strong>党章</strong></p>")
    assert prompt_text(hostile) == "读党章" and prompt_text({"prompt": "a <b>"}) == "a <b>"


def test_an_imported_html_question_is_stored_and_shown_rendered(client, login_as, db, grant):
    grant(login_as("trainer"), course="assess")
    url = "/author/courses/assess/modules/scoring/import"
    gift = ("$CATEGORY: $course$/党章\n\n::第一题::[html]<p>党的<b>最高</b>领导机关是"
            "<img src=x onerror=alert(1)>？</p>{=党的全国代表大会 ~党的中央委员会}\n")
    page = client.post(url, data={"csrf_token": csrf_token(client, url),
                                  "file": (io.BytesIO(gift.encode()), "bank.gift")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "党的最高领导机关是？" in page and "&lt;b&gt;" not in page
    payload = re.search(r'name="payload" type="hidden" value="([^"]+)"', page).group(1)
    assert post_form(client, url + "/confirm", {"payload": payload},
                     token_from=url).status_code == 302
    question = db.scalar(select(Question).where(Question.origin == "bank"))
    assert question.details["format"] == "html" and question.details["title"] == "第一题"
    revision = db.scalar(select(QuestionRevision).where(
        QuestionRevision.question_id == question.id))
    assert revision.details == question.details
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login_as("trainee")
    shown = client.get("/courses/assess/modules/scoring/quiz").get_data(as_text=True)
    assert "党的<b>最高</b>领导机关是" in shown and "onerror" not in shown
