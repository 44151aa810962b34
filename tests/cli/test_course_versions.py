"""`flask lms load-courses` says which version a reload made and what changed."""

from __future__ import annotations

QUESTION = {"id": "q-1", "type": "true_false", "prompt": "“三会一课”包括党课。", "answer": "正确"}


def test_a_reload_prints_the_new_version_and_what_changed(runner, make_course):
    course = make_course([{"questions": [QUESTION]}, {}], slug="versions")
    path = course.folder / "01-m1.md"
    path.write_text(path.read_text("utf-8").replace("包括党课", "包括上党课"), "utf-8")
    result = runner.invoke(args=["lms", "load-courses", str(course.folder)])
    assert result.exit_code == 0, result.output
    assert ("versions：已更新（2 个章节）\n"
            "  第 2 版：修改章节：m1; 修改题目：q-1\n") in result.output
    result = runner.invoke(args=["lms", "load-courses", str(course.folder)])
    assert "versions：没有变化（2 个章节）\n" in result.output
    assert "第 3 版" not in result.output
