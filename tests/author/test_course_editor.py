"""The course editor over HTTP: create a draft, edit with preview, conflicts, publish, discard."""

from __future__ import annotations

import html
import re

from sqlalchemy import func, select

from lms.models import Course, CourseVersion, DraftFile
from tests.conftest import csrf_token, post_form

NEW = "/author/courses/new"


def create(client, slug="xin-kecheng", title="新课程"):
    return post_form(client, NEW, {"title": title, "slug": slug}, token_from="/author/")


def draft_url(slug="xin-kecheng"):
    return f"/author/courses/{slug}/draft"


def file_url(name, slug="xin-kecheng"):
    return f"{draft_url(slug)}/files/{name}"


def revision_of(page: str) -> str:
    return re.search(r'name="revision"[^>]*value="(\d+)"', page).group(1)


def test_a_trainer_creates_a_draft_that_trainees_do_not_see(client, login_as, db, make_user):
    login_as("trainer")
    response = create(client)
    assert response.status_code == 303 and response.headers["Location"].endswith(draft_url())
    page = client.get(draft_url()).get_data(as_text=True)
    assert "01-introduction.md" in page and "草稿" in page and "可以发布" in page
    assert "新课程" in client.get("/author/").get_data(as_text=True)
    course = db.scalar(select(Course).where(Course.slug == "xin-kecheng"))
    assert course.published is False and course.version_id is None
    # Trainees: not on their home, and its address is unknown to them.
    trainee, password = make_user("trainee", username="xueyuan")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    post_form(client, "/login", {"username": "xueyuan", "password": password})
    assert "新课程" not in client.get("/").get_data(as_text=True)
    assert client.get("/courses/xin-kecheng").status_code == 404
    assert client.get(draft_url()).status_code == 404


def test_create_refuses_a_taken_slug_and_keeps_the_form(client, login_as):
    login_as("trainer")
    create(client)
    again = create(client, title="另一门课")
    assert again.status_code == 400
    text = again.get_data(as_text=True)
    assert "已有" in text and "另一门课" in text


def test_trainees_may_not_create_courses(client, login_as):
    login_as("trainee")
    assert client.get(NEW).status_code == 403


def test_edit_saves_and_a_stale_save_is_refused_without_losing_either_text(
        client, login_as, db):
    login_as("trainer")
    create(client)
    url = file_url("01-introduction.md")
    page = client.get(url).get_data(as_text=True)
    opened = revision_of(page)
    first = post_form(client, url, {"text": "---\nslug: introduction\ntitle: 第一章\n"
                                            "minutes: 5\n---\n\n甲写的内容。\n",
                                    "revision": opened})
    assert first.status_code == 303
    # A second editor still holding the revision both opened saves: refused, shown both.
    second = post_form(client, url, {"text": "乙写的内容。", "revision": opened})
    text = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "乙写的内容。" in text and "甲写的内容。" in text
    row = db.scalar(select(DraftFile).where(DraftFile.name == "01-introduction.md"))
    db.refresh(row)
    assert "甲写的内容。" in row.text and row.revision == int(opened) + 1


def test_preview_uses_the_trainee_renderer_and_sanitizer(client, login_as):
    login_as("trainer")
    create(client)
    response = post_form(client, f"{draft_url()}/preview",
                         {"text": "---\nslug: a\n---\n## 标题\n\n<script>alert(1)</script>正文"
                                  "\n\n```quiz\n- type: true_false\n```\n"},
                         token_from=file_url("01-introduction.md"))
    html = response.get_json()["html"]
    assert "<h2>标题</h2>" in html and "正文" in html
    assert "<script" not in html and "true_false" not in html and "slug" not in html


def test_preview_needs_the_csrf_token(client, login_as):
    login_as("trainer")
    create(client)
    assert client.post(f"{draft_url()}/preview", data={"text": "x"}).status_code == 400


def test_publishing_makes_version_one_and_trainees_see_it(client, login_as, db):
    login_as("trainer")
    create(client)
    refused = post_form(client, f"{draft_url()}/publish", {}, token_from=draft_url())
    assert refused.status_code == 303 and db.scalar(
        select(Course.published).where(Course.slug == "xin-kecheng")) is False
    done = post_form(client, f"{draft_url()}/publish", {"confirm_publish": "y"},
                     token_from=draft_url())
    assert done.status_code == 303
    course = db.scalar(select(Course).where(Course.slug == "xin-kecheng"))
    db.refresh(course)
    assert course.published and db.scalar(select(func.count()).select_from(CourseVersion)
                                           .where(CourseVersion.course_id == course.id)) == 1
    assert db.scalar(select(func.count()).select_from(DraftFile)
                     .where(DraftFile.course_id == course.id)) == 0
    assert "在这里写本章的内容。" in client.get(
        "/courses/xin-kecheng/modules/introduction").get_data(as_text=True)


def test_a_draft_with_problems_is_not_published(client, login_as, db):
    login_as("trainer")
    create(client)
    url = file_url("course.yml")
    post_form(client, url, {"text": "slug: xin-kecheng\ntitle: 新课程\nmodules: []\n",
                            "revision": revision_of(client.get(url).get_data(as_text=True))})
    page = client.get(draft_url()).get_data(as_text=True)
    assert "course.yml" in page and "问题：1 个" in page
    post_form(client, f"{draft_url()}/publish", {"confirm_publish": "y"}, token_from=draft_url())
    assert db.scalar(select(Course.published).where(Course.slug == "xin-kecheng")) is False


def test_discarding_a_never_published_draft_removes_the_course(client, login_as, db):
    login_as("trainer")
    create(client)
    kept = post_form(client, f"{draft_url()}/discard", {}, token_from=draft_url())
    assert kept.status_code == 303 and db.scalar(
        select(func.count()).select_from(Course).where(Course.slug == "xin-kecheng")) == 1
    post_form(client, f"{draft_url()}/discard", {"confirm_discard": "y"},
              token_from=draft_url())
    assert db.scalar(select(func.count()).select_from(Course)
                     .where(Course.slug == "xin-kecheng")) == 0


def test_another_trainer_cannot_open_someone_elses_draft(client, login_as):
    login_as("trainer")
    create(client)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login_as("trainer")
    assert client.get(draft_url()).status_code == 404
    assert client.get(file_url("course.yml")).status_code == 404


def test_editing_a_published_course_changes_nothing_for_trainees_until_published(
        client, login_as, grant, db):
    grant(login_as("trainer"), course="jiceng-dangjian")
    url = "/author/courses/jiceng-dangjian/draft"
    module_page = "/courses/jiceng-dangjian/modules/overview"
    versions = db.scalar(select(func.count()).select_from(CourseVersion).join(
        Course, Course.id == CourseVersion.course_id).where(Course.slug == "jiceng-dangjian"))
    assert post_form(client, f"{url}/start", {}, token_from=url).status_code == 303
    name = re.search(r'/draft/files/(\d\d-overview\.md)"', client.get(url).get_data(
        as_text=True)).group(1)
    page = client.get(f"{url}/files/{name}").get_data(as_text=True)
    text = re.search(r'<textarea id="text"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    edited = html.unescape(text).replace("## 摘要", "## 摘要\n\n编辑器新增的一段。", 1)
    assert post_form(client, f"{url}/files/{name}",
                     {"text": edited, "revision": revision_of(page)}).status_code == 303
    assert "编辑器新增的一段。" not in client.get(module_page).get_data(as_text=True)
    post_form(client, f"{url}/publish", {"confirm_publish": "y"}, token_from=url)
    assert "编辑器新增的一段。" in client.get(module_page).get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(CourseVersion).join(
        Course, Course.id == CourseVersion.course_id)
        .where(Course.slug == "jiceng-dangjian")) == versions + 1


def test_text_from_a_browser_textarea_keeps_one_kind_of_line_end(client, login_as, db):
    """Browsers post CR LF; the front matter must still be read as front matter."""
    login_as("trainer")
    create(client)
    url = file_url("01-introduction.md")
    text = "---\r\nslug: introduction\r\ntitle: 第一章\r\nminutes: 5\r\n---\r\n\r\n正文。\r\n"
    html = post_form(client, f"{draft_url()}/preview", {"text": text},
                     token_from=url).get_json()["html"]
    assert "slug" not in html and "正文。" in html
    post_form(client, url, {"text": text, "revision": revision_of(client.get(url).get_data(
        as_text=True))})
    row = db.scalar(select(DraftFile).where(DraftFile.name == "01-introduction.md"))
    db.refresh(row)
    assert "\r" not in row.text and "可以发布" in client.get(draft_url()).get_data(as_text=True)


def test_autosave_saves_with_the_revision_and_never_over_a_newer_save(client, login_as, db):
    login_as("trainer")
    create(client)
    url = file_url("01-introduction.md")
    opened = revision_of(client.get(url).get_data(as_text=True))
    first = post_form(client, f"{url}/autosave", {"text": "---\nslug: introduction\ntitle: 第一章"
                                                          "\n---\n\n自动保存的内容。\n",
                                                  "revision": opened}, token_from=url)
    assert first.status_code == 200 and first.get_json()["revision"] == int(opened) + 1
    stale = post_form(client, f"{url}/autosave", {"text": "过期页面的内容。", "revision": opened},
                      token_from=url)
    assert stale.status_code == 409 and "其他人" in stale.get_json()["error"]
    row = db.scalar(select(DraftFile).where(DraftFile.name == "01-introduction.md"))
    db.refresh(row)
    assert "自动保存的内容。" in row.text
