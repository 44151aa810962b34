"""Changing a draft through forms: settings, add, move and remove chapters, conflicts."""

from __future__ import annotations

import re

import yaml
from sqlalchemy import select

from lms.models import Course, DraftFile, Module
from tests.author.test_course_editor import create, draft_url
from tests.conftest import post_form


def course_yml(db) -> dict:
    row = db.scalar(select(DraftFile).where(DraftFile.name == "course.yml"))
    db.refresh(row)
    return yaml.safe_load(row.text)


def revision(client) -> str:
    page = client.get(draft_url()).get_data(as_text=True)
    return re.search(r'name="revision" type="hidden" value="(\d+)"', page).group(1)


def test_settings_form_edits_course_yml_and_publishes_with_it(client, login_as, db):
    login_as("trainer")
    create(client)
    response = post_form(client, f"{draft_url()}/settings", {
        "title": "支部书记培训", "description": "说明", "audience": "支部书记",
        "pass_mark": "75", "revision": revision(client)}, token_from=draft_url())
    assert response.status_code == 303
    data = course_yml(db)
    assert (data["title"], data["audience"], data["pass_mark"]) == ("支部书记培训", "支部书记", 75)
    post_form(client, f"{draft_url()}/publish", {"confirm_publish": "y"}, token_from=draft_url())
    course = db.scalar(select(Course).where(Course.slug == "xin-kecheng"))
    db.refresh(course)
    assert (course.title, course.pass_mark, course.published) == ("支部书记培训", 75, True)


def test_a_bad_pass_mark_names_the_field_and_keeps_the_typing(client, login_as):
    login_as("trainer")
    create(client)
    response = post_form(client, f"{draft_url()}/settings", {
        "title": "我输入的标题", "pass_mark": "120", "revision": revision(client)},
        token_from=draft_url())
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "0 到 100" in text and "我输入的标题" in text


def test_chapters_are_added_moved_and_removed(client, login_as, db):
    login_as("trainer")
    create(client)
    added = post_form(client, f"{draft_url()}/modules",
                      {"title": "Second Chapter", "revision": revision(client)},
                      token_from=draft_url())
    assert added.status_code == 303 and "02-second-chapter.md" in added.headers["Location"]
    assert course_yml(db)["modules"] == ["01-introduction.md", "02-second-chapter.md"]
    post_form(client, f"{draft_url()}/modules/02-second-chapter.md/move",
              {"step": "up", "revision": revision(client)}, token_from=draft_url())
    assert course_yml(db)["modules"] == ["02-second-chapter.md", "01-introduction.md"]
    unconfirmed = post_form(client, f"{draft_url()}/modules/01-introduction.md/remove",
                            {"revision": revision(client)}, token_from=draft_url())
    assert unconfirmed.status_code == 303 and len(course_yml(db)["modules"]) == 2
    post_form(client, f"{draft_url()}/modules/01-introduction.md/remove",
              {"confirm_remove": "y", "revision": revision(client)}, token_from=draft_url())
    assert course_yml(db)["modules"] == ["02-second-chapter.md"]
    assert db.scalar(select(DraftFile).where(DraftFile.name == "01-introduction.md")) is None
    last = post_form(client, f"{draft_url()}/modules/02-second-chapter.md/remove",
                     {"confirm_remove": "y", "revision": revision(client)},
                     token_from=draft_url())
    assert last.status_code == 303 and course_yml(db)["modules"] == ["02-second-chapter.md"]


def test_a_stale_page_gets_a_conflict_and_changes_nothing(client, login_as, db):
    login_as("trainer")
    create(client)
    stale = revision(client)
    post_form(client, f"{draft_url()}/modules", {"title": "Two", "revision": stale},
              token_from=draft_url())
    response = post_form(client, f"{draft_url()}/settings",
                         {"title": "过期页面的标题", "revision": stale}, token_from=draft_url())
    text = response.get_data(as_text=True)
    assert response.status_code == 409 and "过期页面的标题" in text and "其他人" in text
    assert course_yml(db)["title"] == "新课程"


def test_a_chapter_is_made_optional_and_publishes_so(client, login_as, db):
    login_as("trainer")
    create(client)
    row = db.scalar(select(DraftFile).where(DraftFile.name == "01-introduction.md"))
    file_revision = str(row.revision)
    post_form(client, f"{draft_url()}/modules/01-introduction.md/required",
              {"required": "0", "revision": file_revision}, token_from=draft_url())
    assert "选修" in client.get(draft_url()).get_data(as_text=True)
    post_form(client, f"{draft_url()}/publish", {"confirm_publish": "y"}, token_from=draft_url())
    module = db.scalar(select(Module).where(Module.slug == "introduction"))
    db.refresh(module)
    assert module.required is False
