"""The course editor's pages for ``scripts/screenshots.py``: a trainer imports the seed
article as a draft, edits its first chapter beside the live preview, adds a question through
its form, publishes twice and reads the history; then starts an empty course."""

from __future__ import annotations

from pathlib import Path

SEED_ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "seed" / "article.txt"


def _publish(page, base: str, slug: str, submit) -> None:
    page.goto(f"{base}/author/courses/{slug}/draft")
    page.check("#confirm_publish")
    page.click("form[action$='/publish'] button[type=submit]")
    page.wait_for_url(f"{base}/author/")


def _edit_first_chapter(page, addition: str, submit) -> None:
    page.click(".chapter-list li:first-child .chapter-title")
    page.wait_for_selector("#preview")
    page.fill("#text", page.input_value("#text") + addition)
    # A locator waits without eval (the CSP forbids it, so wait_for_function cannot run).
    page.locator("#preview", has_text="预览中的新段落").wait_for()


def shoot_authoring(camera, base: str, submit) -> None:
    page, shot, width = camera.page, camera.shot, camera.width
    page.goto(f"{base}/author/courses/import-article")
    shot("import-article")
    if SEED_ARTICLE.exists():
        slug = f"wenzhang-{width}"
        page.set_input_files('input[type="file"]', str(SEED_ARTICLE))
        page.fill('input[name="slug"]', slug)
        page.fill('input[name="title"]', "基层党建工作创新")
        submit(page)
        shot("draft")
        _edit_first_chapter(page, "\n\n## 新增小节\n\n**预览**中的新段落。\n", submit)
        shot("chapter-editor")
        submit_button = "#editor-form button[type=submit]"
        with page.expect_navigation():
            page.click(submit_button)
        page.select_option("#question-type", "true_false")
        with page.expect_navigation():
            page.click("form.add-question button[type=submit]")
        page.fill("[name=prompt]", "基层党组织是党的基层组织者、实施者、促进者。")
        shot("question-form")
        page.select_option("form.question-form select[name=answer]", index=1)
        with page.expect_navigation():
            page.click("form.question-form button.primary")
        _publish(page, base, slug, submit)
        page.goto(f"{base}/author/courses/{slug}/draft")
        with page.expect_navigation():
            page.click("form[action$='/draft/start'] button[type=submit]")
        _edit_first_chapter(page, "\n第二版补充的预览中的新段落。\n", submit)
        with page.expect_navigation():
            page.click(submit_button)
        _publish(page, base, slug, submit)
        page.goto(f"{base}/author/courses/{slug}/history")
        shot("history")
        page.goto(f"{base}/author/courses/{slug}/history/compare")
        shot("compare")
    page.goto(f"{base}/author/courses/new")
    shot("new-course")
    page.goto(f"{base}/author/")
    shot("teaching-courses")
