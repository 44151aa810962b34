"""A chapter written in the browser may ask for minutes of study; a bad value is a problem."""

from __future__ import annotations

from sqlalchemy import select

from lms.models import Course, Module
from tests.author.test_course_editor import create, draft_url, file_url, revision_of
from tests.conftest import post_form

CHAPTER = "---\nslug: introduction\ntitle: 第一章\nminutes: 5\nmin_minutes: {}\n---\n\n内容。\n"


def save_chapter(client, value: str):
    url = file_url("01-introduction.md")
    return post_form(client, url, {"text": CHAPTER.format(value),
                                   "revision": revision_of(client.get(url).get_data(as_text=True))})


def test_min_minutes_written_in_the_browser_is_published(client, login_as, db):
    login_as("trainer")
    create(client)
    save_chapter(client, "6")
    refused = client.get(draft_url()).get_data(as_text=True)
    assert "问题：1 个" in refused
    assert ("01-introduction.md:5: min_minutes（6）不能大于预计学习时间 minutes（5）"
            in refused)
    save_chapter(client, "3")
    post_form(client, f"{draft_url()}/publish", {"confirm_publish": "y"}, token_from=draft_url())
    module = db.scalar(select(Module).join(Course).where(Course.slug == "xin-kecheng"))
    assert module.min_minutes == 3
