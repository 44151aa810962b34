"""The `flask lms` commands trainers and operators use."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from lms.models import Course, OrgUnit, User
from lms.services.org import name_path

QUESTION = {"type": "true_false", "prompt": "“三会一课”包括党课。", "answer": "正确"}


def test_courses_json_lists_modules_and_question_counts(runner, make_course):
    make_course([{"slug": "one", "questions": [QUESTION] * 3}, {"slug": "reading"},
                 {"slug": "two", "questions": [QUESTION]}], slug="listed", pass_mark=75)
    result = runner.invoke(args=["lms", "courses", "--json"])
    assert result.exit_code == 0
    courses = {c["slug"]: c for c in json.loads(result.output)}
    listed = courses["listed"]
    assert listed["pass_mark"] == 75
    assert [(m["slug"], m["questions"]) for m in listed["modules"]] == [
        ("one", 3), ("reading", 0), ("two", 1)]


def test_invalid_course_prints_every_problem_loads_nothing_and_exits_1(runner, tmp_path, db):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "course.yml").write_text("slug: broken\ntitle: 坏课程\nmodules: [a.md, b.md]\n",
                                       "utf-8")
    (folder / "a.md").write_text("---\nslug: a\ntitle: 甲\nminutes: 3\n---\n正文\n", "utf-8")
    (folder / "b.md").write_text("---\nslug: b\ntitle: 乙\nminutes: 0\n---\n", "utf-8")
    result = runner.invoke(args=["lms", "load-courses", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{folder / 'b.md'}:4: minutes 必须是预计学习的分钟数" in result.output
    assert f"{folder / 'b.md'}:6: 单元没有正文" in result.output
    assert db.scalar(select(func.count()).select_from(Course)
                     .where(Course.slug == "broken")) == 0


def test_reloading_an_unchanged_course_changes_nothing(runner, make_course):
    course = make_course([{"questions": [QUESTION]}, {}], slug="twice")
    result = runner.invoke(args=["lms", "load-courses", str(course.folder)])
    assert result.exit_code == 0, result.output
    assert "twice：没有变化（2 个章节）" in result.output
    (course.folder / "01-m1.md").write_text(
        (course.folder / "01-m1.md").read_text("utf-8").replace("学习内容", "新的学习内容"),
        "utf-8")
    result = runner.invoke(args=["lms", "load-courses", str(course.folder)])
    assert result.exit_code == 0, result.output
    assert "twice：已更新（2 个章节）" in result.output


def test_create_user_creates_the_unit_path(runner, db):
    result = runner.invoke(args=["lms", "create-user", "li.shuji", "--role", "trainer",
                                 "--unit", "集团党委/机关党总支/第一党支部", "--name", "李书记",
                                 "--password-stdin"], input="a-long-password\n")
    assert result.exit_code == 0, result.output
    user = db.scalar(select(User).where(User.username == "li.shuji"))
    assert user.role.value == "trainer"
    assert name_path(db, user.org_unit) == "集团党委/机关党总支/第一党支部"
    root = user.org_unit.path.split("/")[1]
    kinds = [u.kind.value for u in db.scalars(
        select(OrgUnit).where(OrgUnit.path.like(f"/{root}/%")).order_by(OrgUnit.path))]
    assert kinds == ["committee", "general_branch", "branch"]


def test_create_user_rejects_bad_input_without_writing(runner, db):
    result = runner.invoke(args=["lms", "create-user", "x y", "--name", "某",
                                 "--password-stdin"], input="a-long-password\n")
    assert result.exit_code == 2 and "用户名由 2 到 80 个字母" in result.output
    result = runner.invoke(args=["lms", "create-user", "short", "--name", "某",
                                 "--unit", "新党委/新支部", "--password-stdin"], input="123\n")
    assert result.exit_code == 2 and "密码至少需要 8 个字符" in result.output
    assert db.scalar(select(func.count()).select_from(OrgUnit)
                     .where(OrgUnit.name.in_(["新党委", "新支部"]))) == 0


def test_demo_accounts_print_passwords_once(runner):
    first = runner.invoke(args=["lms", "create-demo-accounts"])
    assert first.exit_code == 0
    assert "admin" in first.output and "zhangsan" in first.output and "lisi" in first.output
    second = runner.invoke(args=["lms", "create-demo-accounts"])
    assert "演示账号已经存在" in second.output


def test_the_demo_trainer_authors_the_loaded_courses(runner, db):
    from lms.services import catalog
    from lms.services.permissions import Action, can

    assert runner.invoke(args=["lms", "create-demo-accounts"]).exit_code == 0
    trainer = db.scalar(select(User).where(User.username == "trainer"))
    zhangsan = db.scalar(select(User).where(User.username == "zhangsan"))
    seed = catalog.get_course(db, "jiceng-dangjian")
    assert can(db, trainer, Action.AUTHOR_COURSE, seed)
    assert not can(db, zhangsan, Action.AUTHOR_COURSE, seed)
