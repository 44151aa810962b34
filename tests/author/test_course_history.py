"""A course's history over HTTP: versions, readable diffs, roll back, unpublish, archive,
delete (refused while trainees have records of the course)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from lms.models import AdminAction, Course, CourseVersion, Enrollment
from lms.services import assignment_lists
from lms.services.course_diff import line_diff
from lms.services.course_views import published_courses
from tests.conftest import load_course_folder, post_form, sign_in, submit_quiz
from tests.test_query_budgets import count_queries  # noqa: F401  (a fixture)

SLUG = "lishi-kecheng"
AUTHOR = f"/author/courses/{SLUG}"
HISTORY = f"{AUTHOR}/history"
DRAFT = f"{AUTHOR}/draft"
MODULE = f"/courses/{SLUG}/modules/introduction"


def chapter(second: str, prompt: str, extra: str = "") -> str:
    return ("---\nslug: introduction\ntitle: 第一章\nminutes: 5\n---\n\n第一段不变。\n\n"
            f"{second}\n{extra}\n```quiz\n- id: q-one\n  type: true_false\n"
            f"  prompt: {prompt}\n  answer: 正确\n```\n")


V1 = chapter("第二段原文。", "原题。")
V2 = chapter("第二段改写。", "新题。", "\n<script>alert(1)</script>\n")


def save(client, name: str, text: str) -> None:
    url = f"{DRAFT}/files/{name}"
    page = client.get(url).get_data(as_text=True)
    revision = re.search(r'name="revision"[^>]*value="(\d+)"', page).group(1)
    assert post_form(client, url, {"text": text, "revision": revision}).status_code == 303


def publish(client) -> None:
    response = post_form(client, f"{DRAFT}/publish", {"confirm_publish": "y"}, token_from=DRAFT)
    assert response.status_code == 303


def edit_and_publish(client, text: str) -> None:
    assert post_form(client, f"{DRAFT}/start", {}, token_from=DRAFT).status_code == 303
    name = re.search(r'/draft/files/(\d\d-introduction\.md)"',
                     client.get(DRAFT).get_data(as_text=True)).group(1)
    save(client, name, text)
    publish(client)


def two_versions(client, login_as):
    """A trainer creates the course, publishes it, rewrites a line and a question, publishes."""
    login_as("trainer", name="王讲师")
    post_form(client, "/author/courses/new", {"title": "历史课程", "slug": SLUG},
              token_from="/author/")
    save(client, "01-introduction.md", V1)
    publish(client)
    edit_and_publish(client, V2)


def versions(db) -> list[CourseVersion]:
    return list(db.scalars(select(CourseVersion).join(Course, Course.id == CourseVersion.course_id)
                           .where(Course.slug == SLUG)
                           .order_by(CourseVersion.number)))


def trainee_browser(app, make_user):
    trainee, password = make_user("trainee")
    browser = app.test_client()
    assert sign_in(browser, trainee.username, password).status_code == 302
    return browser


def test_history_lists_every_version_with_who_published_it_and_each_revision(
        client, login_as):
    two_versions(client, login_as)
    page = client.get(HISTORY).get_data(as_text=True)
    assert 'id="v1"' in page and 'id="v2"' in page
    assert page.count("王讲师") >= 2  # published by, for each version
    assert f"{HISTORY}/modules/introduction" in page
    assert page.count("第一章") >= 2  # one revision line per revision
    assert f'action="{HISTORY}/versions/1/roll-back"' in page
    assert f'action="{HISTORY}/versions/2/roll-back"' not in page  # the current one


def test_the_diff_marks_the_changed_line_and_escapes_the_text(client, login_as):
    two_versions(client, login_as)
    for url in (f"{HISTORY}/compare", f"{HISTORY}/modules/introduction"):
        page = client.get(url).get_data(as_text=True)
        removed = re.search(r'<li class="diff-line is-removed">(.*?)</li>', page).group(1)
        added = re.findall(r'<li class="diff-line is-added">(.*?)</li>', page)
        assert '<span aria-hidden="true">−</span><span class="sr-only">' in removed
        assert "第二段<del>原文</del>。" in removed
        assert any('<span aria-hidden="true">+</span>' in line and "第二段<ins>改写</ins>。"
                   in line for line in added)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
        assert "第一段不变。" in page  # context around the change
        assert "新题。" in page and "原题。" in page  # the question, before and after


def test_rolling_back_publishes_version_one_again_and_keeps_past_attempts(
        app, client, login_as, make_user, db):
    two_versions(client, login_as)
    browser = trainee_browser(app, make_user)
    done = submit_quiz(browser, f"{MODULE}/quiz", {"q1": "true"})
    attempt_url = done.headers["Location"]
    assert "新题。" in browser.get(attempt_url).get_data(as_text=True)

    unticked = post_form(client, f"{HISTORY}/versions/1/roll-back", {}, token_from=HISTORY)
    assert unticked.status_code == 400 and len(versions(db)) == 2
    response = post_form(client, f"{HISTORY}/versions/1/roll-back", {"confirm_roll_back": "y"},
                         token_from=HISTORY)
    assert response.status_code == 303
    first, _, third = versions(db)
    assert third.number == 3 and third.content_hash == first.content_hash
    assert third.changes["restored_from"] == 1
    assert "第二段原文。" in browser.get(MODULE).get_data(as_text=True)
    assert "原题。" in browser.get(f"{MODULE}/quiz").get_data(as_text=True)
    # The attempt made in version 2 still shows what it asked then.
    assert "新题。" in browser.get(attempt_url).get_data(as_text=True)
    page = client.get(HISTORY).get_data(as_text=True)
    assert 'id="v3"' in page and f'action="{HISTORY}/versions/2/roll-back"' in page


def test_rolling_back_is_refused_while_a_draft_is_open(client, login_as, db):
    two_versions(client, login_as)
    post_form(client, f"{DRAFT}/start", {}, token_from=DRAFT)
    response = post_form(client, f"{HISTORY}/versions/1/roll-back", {"confirm_roll_back": "y"},
                         token_from=HISTORY)
    assert response.status_code == 409 and len(versions(db)) == 2
    assert 'role="alert"' in response.get_data(as_text=True)


def test_unpublish_and_archive_hide_the_course_and_keep_the_records(
        app, client, login_as, make_user, db):
    two_versions(client, login_as)
    browser = trainee_browser(app, make_user)
    browser.get(MODULE)
    enrolled = db.scalar(select(func.count()).select_from(Enrollment).join(Course)
                         .where(Course.slug == SLUG))
    assert enrolled == 1 and "历史课程" in browser.get("/").get_data(as_text=True)

    assert post_form(client, f"{AUTHOR}/unpublish", {}, token_from=HISTORY).status_code == 400
    assert post_form(client, f"{AUTHOR}/unpublish", {"confirm_unpublish": "y"},
                     token_from=HISTORY).status_code == 303
    assert "历史课程" not in browser.get("/").get_data(as_text=True)
    assert browser.get(MODULE).status_code == 404
    assert post_form(client, f"{AUTHOR}/republish", {"confirm_republish": "y"},
                     token_from=HISTORY).status_code == 303
    assert "历史课程" in browser.get("/").get_data(as_text=True)

    assert post_form(client, f"{AUTHOR}/archive", {"confirm_archive": "y"},
                     token_from=HISTORY).status_code == 303
    assert "历史课程" not in browser.get("/").get_data(as_text=True)
    assert SLUG not in [c.slug for c in assignment_lists.assignable_courses(db)]
    assert SLUG not in [c.slug for c in published_courses(db)]
    course = db.scalar(select(Course).where(Course.slug == SLUG))
    assert course.archived_at is not None
    assert db.scalar(select(func.count()).select_from(Enrollment)
                     .where(Enrollment.course_id == course.id)) == enrolled
    assert post_form(client, f"{AUTHOR}/unarchive",
                     {"confirm_unarchive": "y", "publish_again": "y"},
                     token_from=HISTORY).status_code == 303
    assert "历史课程" in browser.get("/").get_data(as_text=True)
    statuses = [(a.before["status"], a.after["status"]) for a in db.scalars(
        select(AdminAction).where(AdminAction.action == "course_status_changed",
                                  AdminAction.target_id == course.id)
        .order_by(AdminAction.id))]
    assert statuses == [("published", "unpublished"), ("unpublished", "published"),
                        ("published", "archived"), ("archived", "published")]


def test_delete_is_refused_with_trainee_records_and_offers_archiving(
        app, client, login_as, make_user, db):
    two_versions(client, login_as)
    trainee_browser(app, make_user).get(MODULE)
    response = post_form(client, f"{AUTHOR}/delete", {"confirm_delete": "y"},
                         token_from=HISTORY)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert f'action="{AUTHOR}/archive"' in page and 'name="confirm_archive"' in page
    assert db.scalar(select(func.count()).select_from(Course).where(Course.slug == SLUG)) == 1


def test_a_course_without_trainee_records_can_be_deleted(client, login_as, db):
    two_versions(client, login_as)
    course_id = db.scalar(select(Course.id).where(Course.slug == SLUG))
    assert post_form(client, f"{AUTHOR}/delete", {}, token_from=HISTORY).status_code == 400
    response = post_form(client, f"{AUTHOR}/delete", {"confirm_delete": "y"},
                         token_from=HISTORY)
    assert response.status_code == 303 and response.headers["Location"].endswith("/author/")
    assert db.scalar(select(func.count()).select_from(Course).where(Course.slug == SLUG)) == 0
    assert db.scalar(select(func.count()).select_from(CourseVersion)
                     .where(CourseVersion.course_id == course_id)) == 0
    audit = db.scalar(select(AdminAction).where(AdminAction.action == "course_status_changed",
                                                AdminAction.target_id == course_id))
    assert audit.after == {"status": "deleted"} and audit.before["title"] == "历史课程"
    assert client.get(HISTORY).status_code == 404


def test_the_history_page_does_not_grow_with_versions_or_modules(
        app, client, login_as, grant, make_course, count_queries):  # noqa: F811
    made = make_course([{"slug": "a", "questions": [
        {"type": "true_false", "prompt": "甲。", "answer": "正确"}]}, {"slug": "b"}])
    grant(login_as("trainer"), course=made.slug)
    url = f"/author/courses/{made.slug}/history"
    path = made.folder / "01-a.md"
    path.write_text(path.read_text("utf-8").replace("甲。", "乙。"), "utf-8")
    load_course_folder(app, made.folder)
    _, two = count_queries(url)
    assert two.writes == []
    for number in range(3, 7):
        for name in ("01-a.md", "02-b.md"):
            path = made.folder / name
            path.write_text(path.read_text("utf-8") + f"\n第{number}次修改。\n", "utf-8")
        load_course_folder(app, made.folder)
    page, six = count_queries(url)
    assert 'id="v6"' in page.get_data(as_text=True)
    assert len(six) == len(two), six.report()
    _, compare = count_queries(f"{url}/compare?from=1&to=6")
    _, compare_near = count_queries(f"{url}/compare")
    assert len(compare) == len(compare_near), compare.report()


def test_line_diff_folds_long_unchanged_runs():
    before = "\n".join(f"第{n}行" for n in range(1, 21))
    after = before.replace("第10行", "第十行")
    lines = line_diff(before, after)
    kinds = [line.kind for line in lines]
    assert kinds == ["skip", "same", "same", "removed", "added", "same", "same", "skip"]
    assert (lines[0].count, lines[-1].count) == (7, 8)
    assert lines[3].old == 10 and lines[4].new == 10
    assert line_diff("一\n二", "一\n二") == []
