"""A PC (1280 px) uses the width: the course outline beside the module text, the progress
column beside the course's sections, notices and hours beside the home page's courses, and a
side navigation in the author's and admin's rooms. A phone (375 px) keeps one column: the
outline is not shown and the rooms' navigation sits above the page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import create_staff
from tests.browser.test_trainee_flow import COURSE, sign_in

pytestmark = pytest.mark.browser
PC, PHONE = (1280, 800), (375, 740)


def box(page, selector: str) -> dict:
    found = page.locator(selector).bounding_box()
    assert found is not None, f"{selector} is not shown"
    return found


def beside(left: dict, right: dict) -> bool:
    """``right`` starts to the right of where ``left`` ends, and their rows overlap."""
    return (right["x"] >= left["x"] + left["width"]
            and right["y"] < left["y"] + left["height"] and left["y"] < right["y"] + right["height"])


def above(top: dict, bottom: dict) -> bool:
    return top["y"] + top["height"] <= bottom["y"] + 1


def test_a_pc_reads_a_module_beside_the_course_outline_which_stays_in_view(
        new_page, live_server, fresh_trainee, seed_quizzes):
    page = new_page(*PC)
    sign_in(page, live_server.url, *fresh_trainee)
    second = seed_quizzes[1]
    page.goto(f"{live_server.url}/courses/{COURSE}/modules/{second.slug}")
    outline = page.locator("aside.course-outline")
    expect(outline.locator("li")).to_have_count(len(seed_quizzes))
    expect(outline.locator('a[aria-current="page"]')).to_contain_text(second.title)
    assert beside(box(page, "article.module"), box(page, "aside.course-outline"))
    assert box(page, "article.module")["width"] >= 700  # the text uses the width...
    assert page.locator(".prose").evaluate(
        "el => parseFloat(getComputedStyle(el).fontSize)") >= 16  # ...at body size

    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert page.evaluate("window.scrollY") > 0, "the page should be taller than the screen"
    top = outline.bounding_box()["y"]
    assert 0 <= top < 40, f"the outline scrolled away (top at {top})"


def test_a_phone_reads_a_module_in_one_column_without_the_outline(
        new_page, live_server, fresh_trainee, seed_quizzes):
    page = new_page(*PHONE)
    sign_in(page, live_server.url, *fresh_trainee)
    page.goto(f"{live_server.url}/courses/{COURSE}/modules/{seed_quizzes[1].slug}")
    expect(page.locator("aside.course-outline")).to_be_hidden()
    article = box(page, "article.module")
    assert article["x"] >= 0 and article["width"] >= PHONE[0] - 40


@pytest.mark.parametrize("size", [PC, PHONE], ids=["pc", "phone"])
def test_course_and_home_pages_put_progress_beside_the_lists_on_a_pc(
        new_page, live_server, fresh_trainee, size):
    page = new_page(*size)
    sign_in(page, live_server.url, *fresh_trainee)
    page.goto(f"{live_server.url}/courses/{COURSE}")
    side, body = box(page, ".course-side"), box(page, ".course-body")
    expect(page.locator(".course-side a.button.primary")).to_be_visible()  # the way on
    if size == PC:
        assert beside(body, side)
    else:  # as before: progress and "start learning" above the sections
        assert above(side, body)
    page.goto(f"{live_server.url}/")
    side, main = box(page, ".home-side"), box(page, ".home-main")
    assert beside(main, side) if size == PC else above(side, main)


@pytest.mark.parametrize("size", [PC, PHONE], ids=["pc", "phone"])
@pytest.mark.parametrize("role,path,current", [
    ("admin", "/admin/stats", "/admin/stats"),
    ("admin", "/admin/people", "/admin/people"),
    ("trainer", "/author/grading", "/author/grading"),
])
def test_rooms_have_their_own_navigation_beside_the_page_on_a_pc(
        new_page, live_server, size, role, path, current):
    page = new_page(*size)
    sign_in(page, live_server.url, *create_staff(live_server, role, "王老师"))
    page.goto(f"{live_server.url}{path}")
    nav = page.locator("nav.room-nav")
    expect(nav.locator('a[aria-current="page"]')).to_have_attribute("href", current)
    if size == PC:
        assert beside(box(page, "nav.room-nav"), box(page, "main"))
        assert nav.locator("a").first.evaluate(
            "el => parseFloat(getComputedStyle(el).fontSize)") >= 16
    else:
        assert above(box(page, "nav.room-nav"), box(page, "main"))


def test_a_trainee_sees_no_room_navigation(new_page, live_server, fresh_trainee):
    page = new_page(*PC)
    sign_in(page, live_server.url, *fresh_trainee)
    for path in ("/", "/admin/", "/author/"):
        page.goto(f"{live_server.url}{path}")  # the rooms answer 403 to a trainee
        expect(page.locator("nav.room-nav")).to_have_count(0)
