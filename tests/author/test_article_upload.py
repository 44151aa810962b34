"""Uploading an article in the trainer's room: a draft course with its warnings to check."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.models import Course, DraftFile
from tests.conftest import csrf_token

SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed" / "article.txt"
UPLOAD = "/author/courses/import-article"


def upload(client, data: bytes, name: str, slug: str = "wenzhang", title: str = ""):
    return client.post(UPLOAD, data={"csrf_token": csrf_token(client, UPLOAD), "slug": slug,
                                     "title": title, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_the_seed_article_becomes_a_draft_with_its_warnings(client, login_as, db):
    if not SEED.exists():
        pytest.skip("the seed article ../shared/seed/article.txt is missing")
    login_as("trainer")
    response = upload(client, SEED.read_bytes(), "article.txt")
    assert response.status_code == 303
    page = client.get("/author/courses/wenzhang/draft").get_data(as_text=True)
    assert "9 个章节" in page and "2 条警告" in page  # the summary …
    assert "第 18 行" in page  # … and the out-of-sequence "3." named by its line
    course = db.scalar(select(Course).where(Course.slug == "wenzhang"))
    assert course.published is False
    names = set(db.scalars(select(DraftFile.name).where(DraftFile.course_id == course.id)))
    assert "course.yml" in names and len(names) == 10
    assert "可以发布" in page  # the draft passes the loader's checks as imported


def test_an_unreadable_file_says_why_and_creates_nothing(client, login_as, db):
    login_as("trainer")
    response = upload(client, b"\xff\xfe\x00garbage\x00\x81", "a.txt")
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and 'class="field-error"' in text
    assert db.scalar(select(Course).where(Course.slug == "wenzhang")) is None


def test_a_taken_slug_is_refused_on_the_slug_field(client, login_as):
    login_as("trainer")
    response = upload(client, "标题\n1.第一节\n正文。\n".encode(), "a.txt",
                      slug="jiceng-dangjian")
    assert response.status_code == 409 and "已有" in response.get_data(as_text=True)


def test_trainees_cannot_import_articles(client, login_as):
    login_as("trainee")
    assert client.get(UPLOAD).status_code == 403
