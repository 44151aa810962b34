"""axe-core finds no critical or serious accessibility problem on the pages trainees use most.

axe-core comes from the npm registry as ``package-lock.json`` pins it (``make browser-deps``
runs ``npm ci``); it is injected from ``node_modules``, never from a CDN.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_trainee_flow import COURSE, sign_in, submit_quiz

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")


@pytest.fixture(scope="session")
def axe() -> Path:
    if not AXE.is_file():
        reason = f"axe-core is not installed at {AXE}: run `make browser-deps` (npm ci)"
        if os.environ.get("LMS_TEST_REQUIRE_BROWSER") == "1":
            pytest.fail(f"LMS_TEST_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    return AXE


def blocking_violations(page, axe: Path) -> list[dict]:
    """Run axe on the page as it is now; return its critical and serious violations."""
    # Evaluated, not added as a <script>: the page's CSP blocks inline script tags.
    page.evaluate(axe.read_text("utf-8") + "\n;true")
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    assert result["passes"] is not None and result["testEngine"]["name"] == "axe-core"
    return [{"rule": v["id"], "impact": v["impact"], "help": v["help"],
             "where": [(n["target"], n["failureSummary"]) for n in v["nodes"][:3]]}
            for v in result["violations"] if v["impact"] in BLOCKING]


@pytest.mark.parametrize("width,height", [(360, 740), (1280, 800)])
def test_login_page_untouched_and_after_a_mistake(new_page, live_server, axe, width, height):
    page = new_page(width, height)
    page.goto(f"{live_server.url}/login")
    assert blocking_violations(page, axe) == []

    page.fill('input[name="username"]', live_server.username)
    with page.expect_navigation():
        page.click('main form button[type="submit"]')  # no password: the form comes back
    expect(page.locator("#password")).to_have_attribute("aria-invalid", "true")
    assert blocking_violations(page, axe) == []


def test_quiz_page_untouched_and_with_unanswered_questions(new_page, live_server, fresh_trainee,
                                                           seed_quizzes, axe):
    page = new_page(360, 740)
    sign_in(page, live_server.url, *fresh_trainee)
    quiz = seed_quizzes[0]
    page.goto(f"{live_server.url}/courses/{COURSE}/modules/{quiz.slug}/quiz")
    assert blocking_violations(page, axe) == []

    assert submit_quiz(page).status == 400  # nothing answered: every question is flagged
    expect(page.locator("#missing-summary")).to_be_visible()
    assert blocking_violations(page, axe) == []


@pytest.mark.parametrize("width,height", [(375, 740), (1280, 800)])
def test_statistics_pages_with_their_charts_and_tables(new_page, live_server, axe, width,
                                                       height):
    from tests.browser.test_stats_dashboard import make_admin, studied

    trainee, _ = live_server.create_trainee(f"axe-stats-{width}")
    facts = studied(live_server, trainee)
    page = new_page(width, height)
    sign_in(page, live_server.url, *make_admin(live_server))
    unit = f"/admin/stats/{COURSE}/units/{facts['unit']}"
    for path in ["/admin/stats", f"/admin/stats/{COURSE}", unit,
                 f"{unit}/people/{facts['user']}", f"/admin/stats/{COURSE}/overdue",
                 f"{unit}?from=2024-13-01"]:  # the last one: a bad date, flagged
        page.goto(f"{live_server.url}{path}")
        page.locator("details > summary").evaluate_all("els => els.forEach(s => s.click())")
        assert blocking_violations(page, axe) == [], path
