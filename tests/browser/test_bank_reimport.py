"""A trainer imports an Excel question bank into a module, then the same file again: the
second preview knows every question, skips them by default, and the module keeps one of each."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect
from sqlalchemy import select

from lms.models import Course, Module, Question
from tests.browser.conftest import create_staff
from tests.browser.test_trainee_flow import horizontal_overflow, sign_in

pytestmark = pytest.mark.browser

HEADER = ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "正确答案", "解析", "分值", "难度",
          "知识点"]
ROWS = [
    ["单选题", "支部党员大会一般多久召开一次？", "每月", "每季度", "每半年", "每年", "B",
     "见《中国共产党支部工作条例（试行）》。", 2, "简单", "组织生活"],
    ["判断题", "党小组会一般每月召开一次。", None, None, None, None, "正确", None, 1, "易",
     "组织生活"],
    ["填空题", "“三会一课”中的“一课”是指____。", None, None, None, None, "党课", None, 1, "中等",
     "三会一课"],
]
PROMPTS = [row[1] for row in ROWS]
_numbers = itertools.count(1)


def bank_file(folder: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    path = folder / "组织生活题库.xlsx"
    book.save(path)
    return path


def load_course(live_server, folder: Path, slug: str) -> None:
    """A one-module course without questions, loaded from files as a site would."""
    course = folder / slug
    course.mkdir()
    (course / "course.yml").write_text(
        f"slug: {slug}\ntitle: 组织生活题库练习\npass_mark: 60\nmodules:\n  - 01-basics.md\n",
        encoding="utf-8")
    (course / "01-basics.md").write_text(
        "---\nslug: basics\ntitle: 组织生活基本制度\nminutes: 5\n---\n\n“三会一课”是党的组织生活的基本制度。\n",
        encoding="utf-8")
    runner = live_server.app.test_cli_runner()
    loaded = runner.invoke(args=["lms", "load-courses", str(folder)])
    assert loaded.exit_code == 0, loaded.output


def preview(page, import_url: str, path: Path) -> None:
    page.goto(import_url)
    page.set_input_files("input[type=file]", str(path))
    with page.expect_navigation():
        page.click("form[enctype='multipart/form-data'] button[type=submit]")
    expect(page.locator("main h2").first).to_contain_text("预览：将导入 3 道题")


def confirm(page) -> None:
    with page.expect_navigation():
        page.click("form[action$='/import/confirm'] button[type=submit]")


def question_list(page):
    """The module's questions as the trainer's quiz page lists them."""
    return page.locator("h2 + ol.review > li")


def test_importing_the_same_excel_file_twice_adds_nothing_the_second_time(
        new_page, live_server, zh_compiled, tmp_path):
    slug = f"bank-reimport-{next(_numbers)}"
    courses = tmp_path / "courses"
    courses.mkdir()
    load_course(live_server, courses, slug)
    username, password = create_staff(live_server, "trainer", "王讲师")
    granted = live_server.app.test_cli_runner().invoke(
        args=["lms", "grant", username, "--course-author", slug])
    assert granted.exit_code == 0, granted.output
    bank = bank_file(tmp_path)
    base = live_server.url
    import_url = f"{base}/author/courses/{slug}/modules/basics/import"
    quiz_url = f"{base}/author/courses/{slug}/modules/basics/quiz"

    page = new_page(1280, 800)
    sign_in(page, base, username, password)
    preview(page, import_url, bank)
    items = page.locator(".review-item")
    expect(items).to_have_count(3)
    expect(items.locator(".badge-done")).to_have_count(3)  # 新增
    expect(items.first).to_contain_text("组织生活")  # the 知识点 is shown with the question
    expect(page.locator("main")).to_contain_text("新题 3 道，本节已有 0 道")
    confirm(page)
    assert page.url == quiz_url
    expect(page.locator(".flash")).to_contain_text("已导入3道题。")
    expect(question_list(page)).to_have_count(3)

    preview(page, import_url, bank)
    expect(items.locator(".badge-wait")).to_have_count(3)
    expect(items.locator(".badge-wait").first).to_have_text("已有")
    expect(items.locator(".badge-done")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("新题 0 道，本节已有 3 道")
    expect(page.locator("input[name=existing][value=skip]")).to_be_checked()
    page.screenshot(path=str(tmp_path / "import-again-1280.png"), full_page=True)

    phone = new_page(375, 740)
    sign_in(phone, base, username, password)
    preview(phone, import_url, bank)
    expect(phone.locator(".review-item .badge-wait")).to_have_count(3)
    assert horizontal_overflow(phone) is None
    phone.screenshot(path=str(tmp_path / "import-again-375.png"), full_page=True)

    confirm(page)  # the default: skip the questions already there
    expect(page.locator(".flash")).to_contain_text("新增0道题，更新0道，跳过已有的3道。")
    listed = question_list(page)
    expect(listed).to_have_count(3)
    for prompt in PROMPTS:
        expect(listed.filter(has_text=prompt)).to_have_count(1)
    assert stored(live_server, slug) == [
        (PROMPTS[0], {"difficulty": "easy", "topic": "组织生活"}),
        (PROMPTS[1], {"difficulty": "easy", "topic": "组织生活"}),
        (PROMPTS[2], {"difficulty": "medium", "topic": "三会一课"}),
    ]


def stored(live_server, slug: str) -> list[tuple[str, dict | None]]:
    """The module's current questions with the details kept from the 难度 and 知识点 columns."""
    state = live_server.app.extensions["lms"]
    with live_server.app.app_context():
        session = state.session()
        rows = session.scalars(
            select(Question).join(Module, Module.id == Question.module_id)
            .join(Course, Course.id == Module.course_id)
            .where(Course.slug == slug, Question.is_current).order_by(Question.position))
        result = [(q.prompt, q.details) for q in rows]
        session.close()
    return result
