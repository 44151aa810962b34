"""The course editor's pages for ``scripts/screenshots.py``: a trainer imports the seed
article as a draft, edits its first chapter beside the live preview, and starts a course."""

from __future__ import annotations

from pathlib import Path

SEED_ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "seed" / "article.txt"


def shoot_authoring(camera, base: str, submit) -> None:
    page, shot, width = camera.page, camera.shot, camera.width
    page.goto(f"{base}/author/courses/import-article")
    shot("import-article")
    if SEED_ARTICLE.exists():
        page.set_input_files('input[type="file"]', str(SEED_ARTICLE))
        page.fill('input[name="slug"]', f"wenzhang-{width}")
        submit(page)
        shot("draft")
        page.click(".chapter-list li:first-child .chapter-title")
        page.wait_for_selector("#preview")
        page.fill("#text", page.input_value("#text") + "\n\n## 新增小节\n\n**预览**中的新段落。\n")
        page.wait_for_function(
            "document.querySelector('#preview').textContent.includes('预览中的新段落')")
        shot("chapter-editor")
    page.goto(f"{base}/author/courses/new")
    shot("new-course")
    page.goto(f"{base}/author/")
    shot("teaching-courses")
