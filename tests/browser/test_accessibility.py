"""axe-core finds no critical or serious accessibility problem on the pages trainees use most.

axe-core comes from the npm registry as ``package-lock.json`` pins it (``make browser-deps``
runs ``npm ci``); it is injected from ``node_modules``, never from a CDN.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from pprint import pformat

import pytest
from playwright.sync_api import expect

from tests.browser.test_trainee_flow import COURSE, TRUE_WORDS, sign_in, submit_quiz

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


# Every page type of every room, over the longest texts (tests/browser/long_texts.py), on a
# small phone (320), a phone (375), a PC (1280) and in 长辈模式 on a phone: no serious or
# critical axe finding, nothing wider than the screen (a wide table scrolls inside its own
# wrapper). "public" is signed out; a path with "!404" is a page that answers 404 on purpose.
def _room_pages(w) -> dict[str, list[str]]:
    from tests.browser.long_texts import MODULE, SLUG

    module = f"/courses/{SLUG}/modules/{MODULE}"
    person, unit = f"/admin/people/{w.user_id}", w.unit_id
    author_module, draft = f"/author/courses/{SLUG}/modules/{MODULE}", f"/author/courses/{SLUG}/draft"
    chapter = f"{draft}/files/01-{MODULE}.md"  # the draft names a chapter after its slug
    stats, stats_unit = f"/admin/stats/{SLUG}", f"/admin/stats/{SLUG}/units/{unit}"
    return {
        "public": ["/login", f"/verify/{w.certificate_code}", "/verify/no-such-code!404"],
        "trainee": ["/", f"/courses/{SLUG}", module, f"{module}/quiz",
                    f"{module}/attempts/{w.attempt_id}", f"{module}/attempts/{w.graded_attempt_id}",
                    "/record", "/certificates", "/notices", "/account",
                    "/courses/no-such-course!404"],
        "trainer": ["/author/", f"{author_module}/quiz", f"{author_module}/import",
                    "/author/grading", f"/author/grading/{w.attempt_id}",
                    f"/author/courses/{SLUG}/history", draft, chapter,
                    f"{chapter}/questions/edit/long-1",
                    f"{chapter}/questions/new?type=short_answer"],
        "admin": ["/admin/", "/admin/people", person, f"{person}/record", f"{person}/courses",
                  f"/admin/units/{unit}", "/admin/grants", "/admin/audit", "/admin/stats",
                  stats, stats_unit, f"{stats}/overdue", f"{stats_unit}/people/{w.user_id}",
                  "/admin/stats/hours"],
    }


def wider_than_screen(page) -> list[str]:
    """The page's width if it scrolls sideways, with the elements that stick out."""
    return page.evaluate("""() => {
        const width = window.innerWidth;
        if (document.documentElement.scrollWidth <= width) return [];
        const out = Array.from(document.querySelectorAll('body *'))
            .filter(el => el.getBoundingClientRect().right > width + 0.5 ||
                          (el.scrollWidth > el.clientWidth + 1 &&
                           getComputedStyle(el).overflowX === 'visible'))
            .filter(el => !el.parentElement.closest('.table-wrap, .table-scroll'))
            .slice(-3).map(el => el.tagName + '.' + el.className + ' ' +
                           Math.round(el.getBoundingClientRect().right));
        return [document.documentElement.scrollWidth + ' px', ...out];
    }""")


@pytest.mark.parametrize("room", ["public", "trainee", "trainer", "admin"])
@pytest.mark.parametrize("width,height,large", [(320, 640, False), (375, 740, False),
                                                (1280, 800, False), (375, 740, True)],
                         ids=["small-phone", "phone", "desktop", "phone-large-text"])
def test_every_page_type_with_the_longest_texts(new_page, live_server, tmp_path_factory, axe,
                                                room, width, height, large):
    from lms.models import User
    from lms.services.display import set_large_text
    from tests.browser.long_texts import long_world

    world = long_world(live_server, tmp_path_factory)
    page = new_page(width, height)
    if room != "public":
        account = getattr(world, room)
        with live_server.app.app_context():  # arrange: off, whatever an earlier run left
            db = live_server.app.extensions["lms"].session()
            set_large_text(db, db.query(User).filter_by(username=account[0]).one(), False)
        sign_in(page, live_server.url, *account)
    else:
        page.goto(f"{live_server.url}/login")
    if large:
        with page.expect_navigation():
            page.click("button.display-toggle")
        expect(page.locator("html")).to_have_class("large-text")
    problems = {}
    for entry in _room_pages(world)[room]:
        path, _, status = entry.partition("!")
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == int(status or 200), (path, response.status)
        assert (page.locator("html.large-text").count() == 1) is large, path
        page.locator("details:not([open]) > summary").evaluate_all(
            "els => els.forEach(s => s.click())")
        found = {"axe": blocking_violations(page, axe), "wide": wider_than_screen(page)}
        if found["axe"] or found["wide"]:
            problems[path] = found
    assert not problems, pformat(problems, width=100)


def tab_to(page, selector: str, presses: int = 60) -> None:
    """Press Tab until the focused element matches ``selector`` (the keyboard's only way on)."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def answer_with_keys(page, number: int, question: dict) -> None:
    """Answer one seed question correctly with Tab, Space, arrows and typing."""
    field, kind, key = f"q{number}", question["type"], question["answer"]
    if kind == "fill_blank":
        tab_to(page, f'input[name="{field}"]')
        page.keyboard.type(str(key[0] if isinstance(key, list) else key).split("|")[0])
        return
    if kind == "true_false":
        picks = [0 if str(key).strip().lower() in TRUE_WORDS else 1]
    else:
        picks = [ord(letter) - ord("A") for letter in re.sub(r"[\s,，、]", "", key.upper())]
    if kind == "multiple_choice":
        for index in picks:
            tab_to(page, f'input[name="{field}"][value="{index}"]')
            page.keyboard.press("Space")
        return
    tab_to(page, f'input[name="{field}"]')  # a radio group is one Tab stop
    page.keyboard.press("Space")
    for _ in range(picks[0]):
        page.keyboard.press("ArrowDown")


def test_a_quiz_is_completed_with_the_keyboard_alone(new_page, live_server, fresh_trainee,
                                                     seed_quizzes):
    page = new_page(375, 740)
    sign_in(page, live_server.url, *fresh_trainee)
    quiz = seed_quizzes[0]
    page.goto(f"{live_server.url}/courses/{COURSE}/modules/{quiz.slug}/quiz")
    row = "el => { const s = getComputedStyle(el.closest('.option'));" \
          " return [s.outlineStyle, s.backgroundColor]; }"
    for number, question in enumerate(quiz.questions, start=1):
        answer_with_keys(page, number, question)
        if question["type"] != "fill_blank":
            # The focus ring and the chosen state are on the whole row, not the small control.
            outline, background = page.evaluate(f"({row})(document.activeElement)")
            assert outline == "solid", question["id"]
            assert background != "rgb(255, 255, 255)", question["id"]
    tab_to(page, 'form.quiz button[type="submit"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/attempts/\d+$", page.url), page.url
    expect(page.locator(".score-value")).to_have_text("100")
