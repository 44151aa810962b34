"""`flask lms export-course`, `import-course` and `load-courses --dry-run`: what a course's
files would replace, said before anything is written."""

from __future__ import annotations

import zipfile
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from lms.content.course_zip import zip_course
from lms.models import CourseVersion
from lms.services import course_files, versioning
from lms.services.course_content import content_from_rows
from lms.services.errors import NotFound
from lms.unit_of_work import unit_of_work

QUESTION = {"id": "q-1", "type": "true_false", "prompt": "“三会一课”包括党课。", "answer": "正确"}


def versions(db, slug: str) -> int:
    return db.scalar(select(func.count()).select_from(CourseVersion)
                     .where(CourseVersion.course_id == course_files.find_course(db, slug).id))


def unzip(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name.split("/", 1)[1]: archive.read(name).decode() for name in archive.namelist()}


def test_export_writes_the_same_zip_twice_and_import_makes_a_version(runner, tmp_path, db,
                                                                     make_course):
    make_course([{"questions": [QUESTION]}, {}], slug="cli-zip")
    first, second = tmp_path / "one.zip", tmp_path / "two.zip"
    result = runner.invoke(args=["lms", "export-course", "cli-zip", "--out", str(first)])
    assert result.exit_code == 0, result.output
    assert f"已将 cli-zip 导出到 {first}" in result.output
    runner.invoke(args=["lms", "export-course", "cli-zip", "--out", str(second)])
    assert first.read_bytes() == second.read_bytes()
    assert sorted(unzip(first)) == ["01-m1.md", "02-m2.md", "course.yml"]

    files = unzip(first)
    files["01-m1.md"] = files["01-m1.md"].replace("包括党课", "包括上党课")
    edited = tmp_path / "edited.zip"
    edited.write_bytes(zip_course(files, "cli-zip"))
    result = runner.invoke(args=["lms", "import-course", str(edited), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output == ("cli-zip：将更新（2 个章节）\n"
                             "  第 2 版：修改章节：m1; 修改题目：q-1\n"
                             "试运行：没有写入任何内容。\n")
    assert versions(db, "cli-zip") == 1
    result = runner.invoke(args=["lms", "import-course", str(edited)])
    assert result.output == ("cli-zip：已更新（2 个章节）\n"
                             "  第 2 版：修改章节：m1; 修改题目：q-1\n")
    assert versions(db, "cli-zip") == 2


def test_export_of_an_unknown_course_and_import_of_a_bad_zip_fail_clearly(runner, tmp_path, db):
    result = runner.invoke(args=["lms", "export-course", "no-such-course"])
    assert result.exit_code == 2 and "没有课程 no-such-course。" in result.output
    bad = tmp_path / "bad.zip"
    bad.write_bytes(zip_course({"course.yml": "slug: bad\n", "../evil.md": "x"}, "bad"))
    result = runner.invoke(args=["lms", "import-course", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: 压缩包中有不安全的文件路径（绝对路径、“..”或反斜杠），因此没有导入任何内容：" \
        f"bad/../evil.md\n没有导入任何内容。\n" in result.output
    broken = tmp_path / "broken.zip"
    broken.write_bytes(zip_course({"course.yml": "slug: broken\ntitle: 坏\nmodules: [a.md]\n"},
                                  "broken"))
    result = runner.invoke(args=["lms", "import-course", str(broken)])
    assert result.exit_code == 1 and f"{broken}: course.yml:3: a.md 不存在" in (
        result.output)
    with pytest.raises(NotFound):
        course_files.find_course(db, "broken")


def test_loading_files_over_a_course_edited_in_the_browser_says_what_it_replaces(
        runner, db, make_course):
    course = make_course([{"questions": [QUESTION]}, {}], slug="web-edited")
    row = course_files.find_course(db, "web-edited")
    current = content_from_rows(row)
    with unit_of_work(db):  # a trainer retitles m2 and drops the question in the browser
        versioning.publish(db, row, replace(current, modules=(
            replace(current.modules[0], questions=()),
            replace(current.modules[1], title="网页里改的标题"))))
    path = course.folder / "01-m1.md"
    path.write_text(path.read_text("utf-8").replace("学习内容", "新的学习内容"), "utf-8")
    report = ("web-edited：{verb}（2 个章节）\n"
              "  第 3 版：修改章节：m1, m2; 新增题目：q-1\n")

    result = runner.invoke(args=["lms", "load-courses", "--dry-run", str(course.folder)])
    assert result.exit_code == 0, result.output
    assert result.output.endswith(report.format(verb="将更新")
                                  + "试运行：没有写入任何内容。\n")
    assert versions(db, "web-edited") == 2
    result = runner.invoke(args=["lms", "load-courses", str(course.folder)])
    assert result.output.endswith(report.format(verb="已更新"))
    assert versions(db, "web-edited") == 3


def test_a_dry_run_of_a_new_course_writes_nothing(runner, tmp_path, db):
    folder = tmp_path / "fresh"
    folder.mkdir()
    (folder / "course.yml").write_text("slug: fresh\ntitle: 新课\nmodules: [a.md]\n", "utf-8")
    (folder / "a.md").write_text("---\nslug: a\ntitle: 甲\nminutes: 3\n---\n正文\n", "utf-8")
    result = runner.invoke(args=["lms", "load-courses", "--dry-run", str(folder)])
    assert result.output.endswith("fresh：将创建（1 个章节）\n  第 1 版\n"
                                  "试运行：没有写入任何内容。\n")
    with pytest.raises(NotFound):
        course_files.find_course(db, "fresh")
