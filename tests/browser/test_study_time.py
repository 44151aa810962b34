"""Active study time in a real browser: the module page beats while the trainee reads, keeps
the place read, and stays quiet while the trainee is idle or the page is hidden.

The live app beats every second here (all of study.js's timings scale with it). An init script
counts the page's ``beat()`` runs and the beats it sends, so "no beat while idle" is checked
after the script has looked twice more, not after a sleep.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.models import Course, Module, ModuleProgress, StudyBeat, User
from tests.browser.conftest import TIMEOUT_MS, wait_for_js
from tests.browser.test_trainee_flow import horizontal_overflow, sign_in
from tests.conftest import load_course_folder, write_course_folder

pytestmark = pytest.mark.browser

BEAT_SECONDS = 1
COURSE, MODULE = "long-reading", "reading"  # the seed course's sections are a screen or two
PARAGRAPH = ("基层党组织是党在社会基层组织中的战斗堡垒，是党的全部工作和战斗力的基础。"
             "加强基层党建工作，要把抓基层打基础作为长远之计和固本之举。")
COUNT_BEATS = """(() => {
  window.__study = {ticks: 0, sent: 0};
  const setInterval = window.setInterval, fetch = window.fetch;
  window.setInterval = function (callback, ms) {
    if (callback.name !== "beat") return setInterval.apply(window, arguments);
    return setInterval.call(window, () => {
      try { return callback(); } finally { window.__study.ticks += 1; }
    }, ms);
  };
  window.fetch = function (url) {
    if (String(url).endsWith("/beat")) window.__study.sent += 1;
    return fetch.apply(window, arguments);
  };
})()"""
# How far down the module the page is, as study.js measures it.
READ_POSITION = """() => { const a = document.querySelector("article.module");
  return (scrollY - a.offsetTop) / (a.offsetHeight - innerHeight); }"""
SCROLL_TO = """t => { const a = document.querySelector("article.module");
  scrollTo(0, a.offsetTop + t * (a.offsetHeight - innerHeight)); }"""
HIDE = """() => {
  Object.defineProperty(document, "visibilityState", {configurable: true, get: () => "hidden"});
  Object.defineProperty(document, "hidden", {configurable: true, get: () => true});
  document.dispatchEvent(new Event("visibilitychange"));
  return window.__study.sent; }"""
SHOW = """() => { delete document.visibilityState; delete document.hidden;
  document.dispatchEvent(new Event("visibilitychange")); }"""


@dataclass(frozen=True)
class Stored:
    beats: int            # lms_study_beats rows of the person
    seconds: int          # the module's credited seconds_active
    position: float | None


@pytest.fixture(scope="module")
def long_course(live_server, tmp_path_factory) -> None:
    """A published course whose one section is many screens long on a phone, with a quiz so
    that reading alone leaves it unfinished (and the course page says 继续学习)."""
    text = "\n\n".join(f"（{n}）{PARAGRAPH}" for n in range(1, 41))
    question = {"type": "true_false", "prompt": "基层党组织是战斗堡垒。", "answer": "对"}
    module = {"slug": MODULE, "text": text, "minutes": 10, "questions": [question]}
    made = write_course_folder(tmp_path_factory.mktemp("courses") / COURSE, slug=COURSE,
                               title="长篇阅读", modules=[module])
    load_course_folder(live_server.app, made.folder)


@pytest.fixture
def study(live_server, live_config, long_course, new_page, fresh_trainee, zh_compiled):
    """Open the long section as a fresh trainee on a page of the given width; return the page
    and a reader of what is stored that checks the credit never outruns the wall clock."""
    live_config(LMS_STUDY_BEAT_SECONDS=BEAT_SECONDS)

    def open_module(width: int, height: int) -> tuple[Any, Callable[[], Stored]]:
        page = new_page(width, height)
        page.add_init_script(COUNT_BEATS)
        sign_in(page, live_server.url, *fresh_trainee)
        opened = time.monotonic()
        page.goto(f"{live_server.url}/courses/{COURSE}/modules/{MODULE}")

        def read() -> Stored:
            stored = read_stored(live_server, fresh_trainee[0])
            assert stored.seconds <= time.monotonic() - opened, stored
            return stored

        return page, read

    return open_module


def read_stored(live_server, username: str) -> Stored:
    with Session(live_server.app.extensions["lms"].engine) as session:
        user_id = session.scalar(select(User.id).where(User.username == username))
        beats = session.scalar(select(func.count()).select_from(StudyBeat)
                               .where(StudyBeat.user_id == user_id))
        row = session.execute(
            select(ModuleProgress.seconds_active, ModuleProgress.read_position)
            .join(Module, Module.id == ModuleProgress.module_id)
            .join(Course, Course.id == Module.course_id)
            .where(ModuleProgress.user_id == user_id, Course.slug == COURSE,
                   Module.slug == MODULE)).one_or_none()
    return Stored(beats, *(row or (0, None)))


def wait_until(page, read: Callable[[], Stored], done: Callable[[Stored], bool],
               between: Callable[[], None] | None = None) -> Stored:
    """Poll the database until ``done``; ``between`` runs after each look (the trainee's hand)."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not done(stored := read()):
        assert time.monotonic() < deadline, f"gave up waiting, last stored: {stored}"
        if between:
            between()
        page.wait_for_timeout(100)
    return stored


def wait_ticks(page, count: int) -> None:
    """Wait until the page's beat() has run ``count`` more times."""
    start = page.evaluate("window.__study.ticks")
    wait_for_js(page, f"window.__study.ticks >= {start + count}")


def check_prompt(page, path) -> None:
    """The 还在学习吗 prompt fits the screen, reads at 16 px or more and is easy to tap."""
    prompt = page.locator("#still-studying")
    page.screenshot(path=str(path))
    box, button = prompt.bounding_box(), prompt.get_by_role("button").bounding_box()
    width, height = page.evaluate("[innerWidth, innerHeight]")
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert box["y"] + box["height"] <= height
    assert button["height"] >= 44 and button["width"] >= 44
    sizes = prompt.locator("p, button").evaluate_all(
        "els => els.map(el => parseFloat(getComputedStyle(el).fontSize))")
    assert min(sizes) >= 16, sizes
    assert horizontal_overflow(page) is None


def test_reading_is_credited_the_place_kept_and_an_idle_trainee_asked(study, live_server,
                                                                      tmp_path):
    page, read = study(375, 667)
    assert page.evaluate("document.querySelector('article.module').offsetHeight"
                         " > 3 * innerHeight"), "the module should be long on a phone"

    # 1. Reading (the wheel, now and then) keeps the beats coming: more than the page sends on
    # its own before it counts the trainee idle (4 intervals). They are credited, never more
    # than the time passed.
    page.mouse.move(180, 400)
    wheel = iter(range(10**6))
    wait_until(page, read, lambda s: s.beats >= 6 and s.seconds > 0,
               between=lambda: page.mouse.wheel(0, 40 if next(wheel) % 2 else -30))

    # 2. The place read is kept: back to the course page (now 继续学习) and to the section.
    page.evaluate(SCROLL_TO, 0.5)
    wait_until(page, read, lambda s: s.position is not None and abs(s.position - 0.5) < 0.02)
    page.click(f'nav.crumbs a[href="/courses/{COURSE}"]')
    page.wait_for_url(f"{live_server.url}/courses/{COURSE}")
    expect(page.locator("main a.button.primary")).to_contain_text("继续学习")
    page.click(f'ol.module-list a[href$="/modules/{MODULE}"]')
    page.wait_for_url(f"{live_server.url}/courses/{COURSE}/modules/{MODULE}")
    wait_for_js(page, f"Math.abs(({READ_POSITION})() - 0.5) < 0.03")

    # 3. Left alone, the page asks 还在学习吗 and sends nothing until answered.
    prompt = page.locator("#still-studying")
    expect(prompt).to_be_visible()
    expect(prompt).to_contain_text("还在学习吗")
    idle, sent = read(), page.evaluate("window.__study.sent")
    wait_ticks(page, 2)
    assert page.evaluate("window.__study.sent") == sent
    assert read().beats == idle.beats
    check_prompt(page, tmp_path / "still-studying-375.png")
    prompt.get_by_role("button").click()
    expect(prompt).to_be_hidden()
    wait_until(page, read, lambda s: s.beats > idle.beats)


def test_a_hidden_page_sends_no_beats(study, tmp_path):
    page, read = study(1280, 800)
    page.mouse.move(640, 400)
    wait_until(page, read, lambda s: s.beats >= 1)

    # The trainee's hand keeps the page active, so only the hidden page stops the beats.
    sent = page.evaluate(HIDE)
    page.mouse.wheel(0, 30)
    wait_ticks(page, 1)
    hidden = read()
    for _ in range(3):
        page.mouse.wheel(0, 30)
        wait_ticks(page, 1)
    assert page.evaluate("window.__study.sent") == sent
    assert read().beats == hidden.beats

    page.evaluate(SHOW)
    wait_until(page, read, lambda s: s.beats > hidden.beats)

    # On a desktop, too, the prompt comes after a quiet while and fits.
    expect(page.locator("#still-studying")).to_be_visible()
    check_prompt(page, tmp_path / "still-studying-1280.png")
