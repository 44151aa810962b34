"""A trainee's path through the seed course in a real browser, on a phone and a desktop."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import wait_for_js

pytestmark = pytest.mark.browser

COURSE = "jiceng-dangjian"
TRUE_WORDS = {"正确", "对", "是", "√", "true", "t", "yes"}
SAVED_AT = re.compile(r"\d{1,2}:\d{2}")  # the time quiz.js puts into the save status


def answer_question(page, number: int, question: dict) -> None:
    """Fill question ``number`` of the quiz form correctly, from its course-file definition."""
    field = f"q{number}"
    kind, answer = question["type"], question["answer"]
    if kind in ("single_choice", "multiple_choice"):
        for letter in re.sub(r"[\s,，、]", "", answer.upper()):
            page.check(f'input[name="{field}"][value="{ord(letter) - ord("A")}"]')
    elif kind == "true_false":
        value = "true" if str(answer).strip().lower() in TRUE_WORDS else "false"
        page.check(f'input[name="{field}"][value="{value}"]')
    elif kind == "fill_blank":
        entries = answer if isinstance(answer, list) else [answer]
        inputs = page.locator(f'input[name="{field}"]')
        assert inputs.count() == len(entries)
        for index, entry in enumerate(entries):
            accepted = entry if isinstance(entry, list) else re.split(r"[|;；]", str(entry))
            inputs.nth(index).fill(str(accepted[0]).strip())
    else:
        raise AssertionError(f"unknown question type {kind}")


def sign_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', password)
    page.click('main form button[type="submit"]')
    page.wait_for_url(f"{base_url}/")


def horizontal_overflow(page) -> dict | None:
    sizes = page.evaluate("({scroll: document.documentElement.scrollWidth,"
                          " inner: window.innerWidth})")
    return None if sizes["scroll"] <= sizes["inner"] else {"url": page.url, **sizes}


def submit_quiz(page):
    """Click the quiz's submit button; return the response to the POST.

    Returns once the page the POST leads to has loaded (the form again after a 400, the
    result after a 303): the response alone arrives while the old page is still shown.
    """
    with page.expect_navigation(), page.expect_response(
            lambda r: r.request.method == "POST" and r.url.endswith("/submit")) as response:
        page.click('form.quiz button[type="submit"]')
    return response.value


def answered(number: int) -> str:
    """A JS condition: question ``number`` has a choice made or a blank filled in."""
    return (f"Array.from(document.querySelectorAll('[name=\"q{number}\"]')).some(el =>"
            " (el.type === 'radio' || el.type === 'checkbox') ? el.checked : el.value !== '')")


def test_trainee_passes_first_quiz_on_a_phone(new_page, live_server, fresh_trainee,
                                              seed_quizzes, zh_compiled):
    base = live_server.url
    page = new_page(360, 740)
    overflow = []

    def visited():
        overflow.append(horizontal_overflow(page))

    page.goto(f"{base}/login")
    visited()
    sign_in(page, base, *fresh_trainee)
    visited()
    expect(page.locator("h1")).to_contain_text("我的学习")

    page.click(f'main a[href="/courses/{COURSE}"]')
    page.wait_for_url(f"{base}/courses/{COURSE}")
    visited()
    start = page.locator("main a.button.primary")
    expect(start).to_contain_text("开始学习")

    overview = seed_quizzes[0]
    start.click()
    page.wait_for_url(f"{base}/courses/{COURSE}/modules/{overview.slug}")
    visited()
    assert page.locator("article.module .prose").inner_text().strip()
    assert overview.title in page.locator("h1").inner_text()

    page.click('main a.button[href$="/quiz"]')
    page.wait_for_url(f"{base}/courses/{COURSE}/modules/{overview.slug}/quiz")
    visited()
    questions = overview.questions
    explanations = [q["explanation"] for q in questions if q.get("explanation")]
    assert explanations
    html = page.content()
    leaked = [e for e in explanations if e in html]
    assert not leaked, f"explanations shown before submission: {leaked}"

    # Answer all but one question: the form comes back with an error and the answers kept.
    skipped = 3
    for number, question in enumerate(questions, start=1):
        if number != skipped:
            answer_question(page, number, question)
    response = submit_quiz(page)
    assert response.status == 400
    assert re.search(rf"/modules/{overview.slug}/attempts/\d+/submit$", page.url), page.url
    visited()
    summary = page.locator("#missing-summary")
    expect(summary).to_be_visible()
    assert summary.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))") \
        == [f"#question-{skipped}"]
    assert "has-error" in page.locator(f"#question-{skipped}").get_attribute("class")
    for number, question in enumerate(questions, start=1):
        if number == skipped:
            assert page.locator(f'input[name="q{number}"]:checked').count() == 0
        elif question["type"] == "fill_blank":
            values = page.locator(f'input[name="q{number}"]').evaluate_all(
                "inputs => inputs.map(i => i.value)")
            assert all(values), f"question {number} lost its text: {values}"
        else:
            chosen = page.locator(f'input[name="q{number}"]:checked').evaluate_all(
                "inputs => inputs.map(i => i.value)")
            assert chosen, f"question {number} lost its choice"
    assert not [e for e in explanations if e in page.content()]

    answer_question(page, skipped, questions[skipped - 1])
    response = submit_quiz(page)
    assert response.status == 303
    assert re.search(rf"/modules/{overview.slug}/attempts/\d+$", page.url), page.url
    visited()
    result = page.locator("section.result")
    assert "result-pass" in result.get_attribute("class")
    expect(page.locator(".score-value")).to_have_text("100")
    expect(page.locator(".verdict")).to_contain_text("及格")
    expect(page.locator(".verdict")).not_to_contain_text("不及格")
    text = page.locator("main").inner_text()
    assert all(e in text for e in explanations)

    assert [o for o in overflow if o] == []
    assert len(overflow) == 7


def test_course_progress_after_one_module_on_desktop(new_page, live_server, fresh_trainee,
                                                     seed_quizzes, zh_compiled):
    base = live_server.url
    page = new_page(1280, 800)
    sign_in(page, base, *fresh_trainee)

    page.goto(f"{base}/courses/{COURSE}")
    bar = page.locator("main .progress[role=progressbar]")
    assert bar.get_attribute("aria-valuenow") == "0"

    overview = seed_quizzes[0]
    page.goto(f"{base}/courses/{COURSE}/modules/{overview.slug}/quiz")
    for number, question in enumerate(overview.questions, start=1):
        answer_question(page, number, question)
    assert submit_quiz(page).status == 303
    assert "result-pass" in page.locator("section.result").get_attribute("class")

    page.goto(f"{base}/courses/{COURSE}")
    expected = int(100 / len(seed_quizzes))
    assert expected > 0
    assert bar.get_attribute("aria-valuenow") == str(expected)
    fill_width = page.locator("main .progress-fill").evaluate("el => el.getBoundingClientRect().width")
    assert fill_width > 0
    assert f"{expected}%" in page.locator("main .progress-text").inner_text()
    expect(page.locator("main a.button.primary")).to_contain_text("继续学习")
    assert horizontal_overflow(page) is None


def test_answers_survive_a_reload_and_a_dropped_connection(new_page, live_server, fresh_trainee,
                                                          seed_quizzes):
    """A branch secretary on a weak connection loses nothing of a half-done quiz."""
    page = new_page(360, 740)
    sign_in(page, live_server.url, *fresh_trainee)
    quiz = seed_quizzes[1]
    page.goto(f"{live_server.url}/courses/{COURSE}/modules/{quiz.slug}/quiz")
    attempt = page.locator("#quiz-form").get_attribute("data-attempt")
    status = page.locator("#save-status")
    expect(status).not_to_have_text(SAVED_AT)
    answer_question(page, 1, quiz.questions[0])
    # quiz.js writes the time once the server's reply is read: wait for that, not the reply.
    expect(status).to_have_text(SAVED_AT)  # "答案已于 10:04:05 保存"
    expect(status).not_to_have_class(re.compile(r"\bis-warning\b"))

    page.reload()
    assert page.evaluate(answered(1)), "the saved answer was not restored after a reload"

    # Offline: the answer stays on the device and is saved once the connection returns.
    page.context.set_offline(True)
    answer_question(page, 2, quiz.questions[1])
    expect(status).to_have_class(re.compile(r"\bis-warning\b"))
    kept = page.evaluate(f"localStorage.getItem('lms-draft-' + {attempt})")
    assert kept, "the offline answer is not kept on the device"
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(status).not_to_have_class(re.compile(r"\bis-warning\b"))
    expect(status).to_have_text(SAVED_AT)
    # The device's copy goes once the server has confirmed a save that includes it.
    wait_for_js(page, f"localStorage.getItem('lms-draft-' + {attempt}) === null")

    page.evaluate("localStorage.clear()")  # so the reload shows only what the server has
    page.reload()
    assert page.evaluate(answered(2)), "the answer given offline was lost"
