"""长辈模式 on a phone: one tap makes everything larger, and it stays so for that person.

The accessibility sweep (test_accessibility.py) runs every room in this mode too; here the
switch itself, what it changes, and that it is remembered across sign-out and sign-in.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_trainee_flow import COURSE, sign_in

pytestmark = pytest.mark.browser

#: Everything a finger has to hit on the quiz page: answer rows, buttons, header controls.
TARGETS = "main .option, main .button, .user-nav a, .user-nav .link-button"


def switch(page) -> None:
    with page.expect_navigation():
        page.click("button.display-toggle")


def body_font_px(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")


def test_large_text_mode_is_switched_on_and_remembered(new_page, live_server, fresh_trainee,
                                                       seed_quizzes, zh_compiled):
    base = live_server.url
    page = new_page(375, 740)
    sign_in(page, base, *fresh_trainee)
    toggle = page.locator("button.display-toggle")
    expect(toggle).to_have_text("长辈模式")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert body_font_px(page) < 20

    switch(page)
    expect(page.locator("html")).to_have_class("large-text")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert body_font_px(page) >= 20

    page.goto(f"{base}/courses/{COURSE}/modules/{seed_quizzes[0].slug}/quiz")
    heights = page.locator(TARGETS).evaluate_all(
        "els => els.filter(el => el.offsetParent)"
        ".map(el => [el.textContent.trim().slice(0, 12), el.getBoundingClientRect().height])")
    assert len(heights) > 8
    assert [h for h in heights if h[1] < 48] == []

    with page.expect_navigation():  # sign out: the sign-in page on this phone stays large
        page.click(".user-nav button.link-button:not(.display-toggle)")
    page.wait_for_url(f"{base}/login")
    expect(page.locator("html")).to_have_class("large-text")

    other = new_page(375, 740)  # another phone: large once this person signs in
    other.goto(f"{base}/login")
    expect(other.locator("html")).not_to_have_class("large-text")
    sign_in(other, base, *fresh_trainee)
    expect(other.locator("html")).to_have_class("large-text")
    switch(other)
    expect(other.locator("html")).not_to_have_class("large-text")
    assert body_font_px(other) < 20
