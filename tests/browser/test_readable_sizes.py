"""What a person must read is body-sized and what a finger ticks is a 44 px row (STYLE:
16 px text at least, 44 px touch targets), on a phone and on a PC: the "your answer" labels
of a quiz, the 原文 caption of a result, the author's confirm boxes on the draft page."""

from __future__ import annotations

import itertools

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import create_staff
from tests.browser.test_trainee_flow import COURSE, answer_question, sign_in, submit_quiz

pytestmark = pytest.mark.browser

WIDTHS = [(375, 812), (1280, 800)]
_slugs = itertools.count(1)


def font_sizes(page, selector: str) -> list[float]:
    sizes = page.locator(selector).evaluate_all(
        "els => els.filter(el => el.getClientRects().length)"
        ".map(el => parseFloat(getComputedStyle(el).fontSize))")
    assert sizes, f"nothing shown matches {selector}"
    return sizes


@pytest.mark.parametrize("width,height", WIDTHS)
def test_answer_labels_and_the_passage_caption_are_at_least_16_px(
        new_page, live_server, fresh_trainee, seed_quizzes, zh_compiled, width, height):
    page = new_page(width, height)
    sign_in(page, live_server.url, *fresh_trainee)
    quiz = seed_quizzes[0]
    page.goto(f"{live_server.url}/courses/{COURSE}/modules/{quiz.slug}/quiz")
    expect(page.locator(".blank > span").first).to_contain_text("第1空")
    assert min(font_sizes(page, ".blank > span")) >= 16

    for number, question in enumerate(quiz.questions, start=1):
        answer_question(page, number, question)
    assert submit_quiz(page).status == 303
    expect(page.locator(".answer-line > span").first).to_contain_text("您的答案")
    assert min(font_sizes(page, ".answer-line > span")) >= 16
    expect(page.locator(".cite-passage figcaption").first).to_have_text("原文")
    assert min(font_sizes(page, ".cite-passage figcaption")) >= 16


@pytest.mark.parametrize("width,height", WIDTHS)
def test_the_draft_pages_confirm_boxes_are_ticked_anywhere_on_a_44_px_row(
        new_page, live_server, zh_compiled, width, height):
    page = new_page(width, height)
    sign_in(page, live_server.url, *create_staff(live_server, "trainer", "李老师"))
    page.goto(f"{live_server.url}/author/courses/new")
    page.fill("#title", "勾选测试课")
    page.fill("#slug", f"tick-{next(_slugs)}-{width}")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator("#confirm_publish")).to_be_visible()

    for name in ("confirm_publish", "confirm_discard"):
        box = page.locator(f"#{name}")
        box.scroll_into_view_if_needed()  # boxes are measured where a tap lands: the viewport
        row = page.locator(f'label[for="{name}"]').bounding_box()
        tick = box.bounding_box()
        assert row["height"] >= 44, (name, row)
        # The label's box holds the check box: the whole row is one target.
        assert row["x"] <= tick["x"] and tick["x"] + tick["width"] <= row["x"] + row["width"]
        assert row["y"] <= tick["y"] and tick["y"] + tick["height"] <= row["y"] + row["height"]
        # A tap beside the small box, still on the row, ticks it; a tap on the words unticks.
        page.mouse.click(tick["x"] + tick["width"] / 2, row["y"] + 2)
        expect(box).to_be_checked()
        page.mouse.click(row["x"] + row["width"] / 2, row["y"] + row["height"] / 2)
        expect(box).not_to_be_checked()
