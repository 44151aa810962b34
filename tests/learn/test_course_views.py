"""Trainee pages keep a course's content per published version (lms.services.course_views):
what a trainer publishes, unpublishes or archives shows on the very next page, with nobody
telling the cache."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from lms.models import Course, Role
from lms.services import course_lifecycle
from lms.services.course_views import CourseView, CourseViews
from tests.conftest import post_form, sign_in


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_a_new_version_shows_on_the_next_page_view(client, login_as, make_course):
    login_as("trainee")
    first = make_course([{"slug": "m1", "title": "第一节", "text": "旧的学习内容。"}],
                        slug="kept-content")
    assert "旧的学习内容" in _page(client, first.modules[0].url)
    assert "第一节" in _page(client, first.url)

    make_course([{"slug": "m1", "title": "第一节（修订）", "text": "新的学习内容。"},
                 {"slug": "m2", "title": "第二节"}], slug="kept-content")
    page = _page(client, first.modules[0].url)
    assert "新的学习内容" in page and "旧的学习内容" not in page
    assert f'href="{first.url}/modules/m2"' in page  # the outline beside the text
    course_page = _page(client, first.url)
    assert "第一节（修订）" in course_page and f'href="{first.url}/modules/m2"' in course_page
    assert client.get(f"{first.url}/modules/m2").status_code == 200


def test_a_course_published_after_the_home_page_was_seen_is_listed(client, login_as,
                                                                    make_course):
    login_as("trainee")
    make_course(title="先有的课程")
    assert "先有的课程" in _page(client, "/")
    make_course(title="后来发布的课程")
    home = _page(client, "/")
    assert "先有的课程" in home and "后来发布的课程" in home


def test_unpublishing_or_archiving_closes_the_course_at_once(app, db, client, login_as,
                                                              make_user, make_course):
    login_as("trainee")
    made = make_course(title="将要下线的课程")
    assert "将要下线的课程" in _page(client, made.modules[0].url)
    admin, _ = make_user(Role.ADMIN)
    course = db.scalar(select(Course).where(Course.slug == made.slug))

    course_lifecycle.unpublish(db, admin, course)
    assert client.get(made.modules[0].url).status_code == 404
    assert client.get(made.url).status_code == 404
    assert "将要下线的课程" not in _page(client, "/")

    course_lifecycle.republish(db, admin, course)
    assert "将要下线的课程" in _page(client, made.modules[0].url)
    course_lifecycle.archive(db, admin, course)
    assert client.get(made.modules[0].url).status_code == 404


def _view(version_id: int, updated_at) -> CourseView:
    return CourseView(id=1, slug="c", title="课", description="", audience="", pass_mark=60,
                      published=True, rules=None, archived_at=None, version_id=version_id,
                      updated_at=updated_at)


def test_a_view_is_kept_only_for_the_version_and_time_it_was_read_at(db):
    """SQLite gives a rolled-back version's id to the next version: the publish time tells
    the two apart."""
    views = CourseViews()
    now = db.scalar(select(Course.updated_at).limit(1))
    kept = views.keep(_view(7, now))
    assert views.get(1, (7, now)) is kept
    assert views.get(1, (8, now)) is None
    assert views.get(1, (7, now + timedelta(microseconds=1))) is None
    assert views.get(2, (7, now)) is None


def test_each_reader_sees_their_own_progress_in_the_outline(app, make_user, make_course):
    """The outline is kept per course version, language and progress, never as its first
    reader saw it."""
    made = make_course([{"slug": "m1"}, {"slug": "m2"}, {"slug": "m3"}], slug="kept-outline")
    third = f"{made.url}/modules/m3"

    def reader(*visits: str):
        user, password = make_user(Role.TRAINEE)
        client = app.test_client()
        assert sign_in(client, user.username, password).status_code == 302
        for url in visits:
            client.get(url)
        return client

    def outline(client) -> str:
        page = _page(client, third)
        return page[page.index('<aside class="course-outline"'):page.index("</aside>")]

    ahead = reader(made.modules[0].url, made.modules[1].url)
    behind = reader(made.modules[0].url)
    first, second = outline(ahead), outline(behind)  # opening m3 (no quiz) completes it
    assert first.count("is-completed") == 3 and second.count("is-completed") == 2
    assert "已完成" in second and 'aria-current="page"' in second

    post_form(behind, "/locale", {"locale": "en", "next": third}, token_from=third)
    english = outline(behind)
    assert "Completed" in english and "已完成" not in english
    assert english.count("is-completed") == 2


def test_the_course_page_names_each_sections_status_in_the_readers_language(
        client, login_as, make_course):
    made = make_course([{"slug": "m1"}, {"slug": "m2"}], slug="badge-words")
    login_as("trainee")
    client.get(made.modules[0].url)  # a module without a quiz: complete once read

    def badges() -> list[str]:
        page = _page(client, made.url)
        section = page[page.index('<ol class="module-list">'):page.index("</ol>")]
        return re.findall(r'<span class="badge[^"]*">([^<]+)</span>', section)

    assert badges() == ["已完成", "未开始"]
    post_form(client, "/locale", {"locale": "en", "next": made.url}, token_from=made.url)
    assert badges() == ["Completed", "Not started"]
