"""A certificate from study to revocation in a real browser, on a 375 px phone.

A trainee studies a short course with real heartbeats, passes its test through the form, finds
结业证书 on the course page and 我的证书, downloads the PDF and opens its verify page; an admin
revokes it on the person page and the verify page says so to anyone who checks the code.

The course asks 0.75 学时 under the ``bands`` rule: studying gives 0.25 and the passed test
0.5, so the certificate needs both the heartbeats and the test (neither alone is enough), and
no long wait. The live app beats every second; the test waits on the database, never a sleep.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.models import Course, HoursEntry, Module, ModuleProgress, User
from tests.browser.conftest import TIMEOUT_MS, _create_trainee, create_staff
from tests.browser.test_accessibility import AXE, blocking_violations
from tests.browser.test_trainee_flow import (
    answer_question,
    horizontal_overflow,
    sign_in,
    submit_quiz,
)
from tests.conftest import load_course_folder, write_course_folder

pytestmark = pytest.mark.browser

COURSE, MODULE = "certificate-flow", "standards"
TITLE = "党支部标准化规范化建设"
HOLDER = "欧阳明珠"
QUESTION = {"type": "true_false", "prompt": "党支部是党的基础组织。", "answer": "对"}


@pytest.fixture(scope="module")
def certificate_course(live_server, tmp_path_factory) -> None:
    """One short section with a one-question test; completing the course asks 0.75 学时."""
    module = {"slug": MODULE, "title": "支部工作规范", "minutes": 5,
              "text": "党支部要严格落实“三会一课”制度，规范组织生活。", "questions": [QUESTION]}
    made = write_course_folder(tmp_path_factory.mktemp("courses") / COURSE, slug=COURSE,
                               title=TITLE, modules=[module],
                               rules={"min_hours": 0.75, "certificate": "completed"})
    load_course_folder(live_server.app, made.folder)


def credited(live_server, username: str) -> tuple[int, int]:
    """The section's credited seconds and the course's online quarter hours, as stored."""
    with Session(live_server.app.extensions["lms"].engine) as session:
        user_id = session.scalar(select(User.id).where(User.username == username))
        course_id = session.scalar(select(Course.id).where(Course.slug == COURSE))
        seconds = session.scalar(
            select(ModuleProgress.seconds_active)
            .join(Module, Module.id == ModuleProgress.module_id)
            .where(ModuleProgress.user_id == user_id, Module.course_id == course_id))
        quarters = session.scalar(select(HoursEntry.quarter_hours).where(
            HoursEntry.user_id == user_id, HoursEntry.course_id == course_id))
    return seconds or 0, quarters or 0


def study_until_credited(page, live_server, username: str) -> None:
    """Keep the trainee's hand on the page until a heartbeat has credited study time."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    page.mouse.move(180, 300)
    while min(stored := credited(live_server, username)) < 1:
        assert time.monotonic() < deadline, f"no study time credited: {stored}"
        page.mouse.wheel(0, 20)
        page.wait_for_timeout(100)


def pdf_text(path: Path) -> str:
    """The PDF's text without whitespace (a title may wrap, a heading is letter-spaced)."""
    return "".join("".join(p.extract_text() for p in PdfReader(path).pages).split())


def test_a_certificate_is_earned_downloaded_verified_and_revoked(
        new_page, live_server, live_config, certificate_course, zh_compiled, tmp_path):
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed at {AXE}: run `make browser-deps` (npm ci)")
    live_config(LMS_STUDY_BEAT_SECONDS=1, LMS_HOURS_RULE="bands")
    base, course_url = live_server.url, f"{live_server.url}/courses/{COURSE}"
    username, password = _create_trainee(live_server.app, "certificate-holder", name=HOLDER)
    page = new_page(375, 740)
    wide = []

    def visited() -> None:
        wide.append(horizontal_overflow(page))

    # 1. Study: the section's heartbeats credit time, 0.25 学时 of the 0.75 the course asks.
    sign_in(page, base, username, password)
    page.goto(course_url)
    page.locator("main a.button.primary").click()
    page.wait_for_url(f"{course_url}/modules/{MODULE}")
    visited()
    study_until_credited(page, live_server, username)
    page.goto(course_url)
    expect(page.locator("ul.course-rules")).to_contain_text("0.25")
    expect(page.locator(".certificate-actions")).to_have_count(0)

    # 2. The test, through its form: the 0.5 it adds completes the course.
    page.goto(f"{course_url}/modules/{MODULE}/quiz")
    visited()
    answer_question(page, 1, QUESTION)
    assert submit_quiz(page).status == 303
    expect(page.locator("section.result")).to_have_class(re.compile(r"\bresult-pass\b"))
    visited()

    # 3. The course page offers the certificate; its PDF names the holder and the course.
    page.goto(course_url)
    visited()
    offered = page.locator(".notice-done .certificate-actions")
    expect(offered).to_contain_text("结业证书")
    with page.expect_download() as download:
        offered.locator('a[href$=".pdf"]').click()
    saved = tmp_path / "certificate.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    text = pdf_text(saved)
    assert HOLDER in text and TITLE in text, text

    # 4. 我的证书 lists it; its verify page says 有效 with the name and the course.
    page.goto(base)
    page.get_by_role("link", name="我的证书", exact=True).click()
    page.wait_for_url(f"{base}/certificates")
    visited()
    row = page.locator("li.certificate-row", has_text=TITLE)
    expect(row.locator(".badge")).to_have_text("有效")
    assert blocking_violations(page, AXE) == []
    row.get_by_role("link", name="验证页面").click()
    page.wait_for_url(f"{base}/verify/*")
    verify_url = page.url
    visited()
    expect(page.locator(".verify-status .badge")).to_have_text("有效")
    expect(page.locator(".verify-facts")).to_contain_text(HOLDER)
    expect(page.locator(".verify-facts")).to_contain_text(TITLE)
    assert blocking_violations(page, AXE) == []

    # 5. An admin finds the person and revokes the certificate with a reason.
    admin = new_page(375, 740)
    sign_in(admin, base, *create_staff(live_server, "admin", "组织部管理员"))
    admin.goto(f"{base}/admin/people?q={username}")
    admin.get_by_role("link", name=HOLDER).first.click()
    admin.wait_for_url(f"{base}/admin/people/*")
    section = admin.locator("#certificates li.certificate-row", has_text=TITLE)
    section.locator("summary").click()
    section.get_by_label("原因").fill("信息登记有误")
    section.get_by_label("确认撤销此证书").check()
    with admin.expect_navigation():
        section.get_by_role("button", name="撤销证书").click()
    expect(section.locator(".badge")).to_have_text("已撤销")
    wide.append(horizontal_overflow(admin))

    # 6. Anyone checking the code now reads 已撤销; the trainee's list says so and has no PDF.
    anyone = new_page(375, 740)
    anyone.goto(verify_url)
    expect(anyone.locator(".verify-status .badge")).to_have_text("已撤销")
    expect(anyone.locator(".verify-facts")).to_contain_text(HOLDER)
    wide.append(horizontal_overflow(anyone))
    assert blocking_violations(anyone, AXE) == []
    page.goto(f"{base}/certificates")
    expect(row.locator(".badge")).to_have_text("已撤销")
    expect(row.locator('a[href$=".pdf"]')).to_have_count(0)
    visited()

    assert [w for w in wide if w] == []
