"""`flask lms import-article`: writes a draft folder that loads unpublished, warns with lines,
never overwrites unasked, refuses an unreadable file with exit code 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.content.article_import import WARNING_TEXTS
from lms.models import Course, Role
from lms.services import catalog
from lms.services.course_views import published_courses
from lms.services.errors import NotFound

SEED_ARTICLE = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed" / "article.txt"
ARTICLE = """支部工作手册
摘要：本手册介绍支部工作。
关键词：支部；组织生活
1.组织生活
1.1三会一课
按时召开支部党员大会、支部委员会和党小组会，按时上好党课。
1.3主题党日
每月固定一天开展主题党日活动。
2.发展党员
严格按照程序发展党员。
"""


def write_article(tmp_path: Path, text: str = ARTICLE, encoding: str = "gb18030") -> Path:
    path = tmp_path / "手册.txt"
    path.write_bytes(text.encode(encoding))
    return path


def test_the_draft_loads_unpublished_and_trainees_do_not_see_it(runner, tmp_path, db, client,
                                                                 login_as):
    out = tmp_path / "draft"
    result = runner.invoke(args=["lms", "import-article", str(write_article(tmp_path)),
                                 "--slug", "zhibu-draft", "--out", str(out),
                                 "--title", "支部工作草稿课"])
    assert result.exit_code == 0, result.output
    assert ":7: " in result.output and "1.2" in result.output  # the 1.3 after 1.1, warned
    assert "4" in result.output.splitlines()[-2]  # 4 modules, in the summary line
    assert sorted(p.name for p in out.iterdir()) == [
        "00-overview.md", "01-section-1-1.md", "02-section-1-3.md", "03-section-2.md",
        "course.yml"]
    loaded = runner.invoke(args=["lms", "load-courses", str(out)])
    assert loaded.exit_code == 0, loaded.output
    assert "zhibu-draft：已创建（4 个章节）" in loaded.output
    course = db.query(Course).filter_by(slug="zhibu-draft").one()
    assert course.published is False
    assert "zhibu-draft" not in [c.slug for c in published_courses(db)]
    with pytest.raises(NotFound):
        catalog.get_course(db, "zhibu-draft")
    login_as(Role.TRAINEE)
    home = client.get("/")
    assert home.status_code == 200
    assert "支部工作草稿课" not in home.get_data(as_text=True)
    assert client.get("/courses/zhibu-draft").status_code == 404
    again = runner.invoke(args=["lms", "load-courses", str(out)])
    assert again.exit_code == 0, again.output
    db.expire_all()
    assert db.query(Course).filter_by(slug="zhibu-draft").one().published is False


def test_the_seed_article_imports_with_its_two_warnings_and_loads(runner, tmp_path):
    if not SEED_ARTICLE.is_file():  # a plain skip: strict mode (CI) turns it into a failure
        pytest.skip(f"the seed article is missing: {SEED_ARTICLE}")
    out = tmp_path / "seed-draft"
    result = runner.invoke(args=["lms", "import-article", str(SEED_ARTICLE), "--slug",
                                 "seed-draft", "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{SEED_ARTICLE}:18: ")
    assert lines[1].startswith(f"{SEED_ARTICLE}:30-56: ") and "3" in lines[1]
    assert all(str(n) in lines[2] for n in (9, 17, 2))
    loaded = runner.invoke(args=["lms", "load-courses", str(out)])
    assert loaded.exit_code == 0, loaded.output
    assert "seed-draft：已创建（9 个章节）" in loaded.output


def test_an_existing_folder_is_kept_unless_forced(runner, tmp_path):
    out = tmp_path / "draft"
    out.mkdir()
    (out / "course.yml").write_text("slug: hand-made\n", "utf-8")
    args = ["lms", "import-article", str(write_article(tmp_path)), "--slug", "zhibu",
            "--out", str(out)]
    refused = runner.invoke(args=args)
    assert refused.exit_code == 1
    assert str(out) in refused.output
    assert (out / "course.yml").read_text("utf-8") == "slug: hand-made\n"
    forced = runner.invoke(args=[*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert "published: false" in (out / "course.yml").read_text("utf-8")


def test_the_default_folder_is_the_courses_folder(runner, tmp_path, app, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_COURSES_DIR", str(tmp_path / "courses"))
    result = runner.invoke(args=["lms", "import-article", str(write_article(tmp_path)),
                                 "--slug", "zhibu"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "courses" / "zhibu" / "course.yml").is_file()


def test_an_unreadable_file_exits_1_and_writes_nothing(runner, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"abc\x80\xff\x80")
    out = tmp_path / "draft"
    result = runner.invoke(args=["lms", "import-article", str(path), "--slug", "bad",
                                 "--out", str(out)])
    assert result.exit_code == 1
    assert str(path) in result.output
    assert not out.exists()


def test_a_bad_slug_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(args=["lms", "import-article", str(write_article(tmp_path)),
                                 "--slug", "Not A Slug"])
    assert result.exit_code == 2


def test_every_warning_and_refusal_has_its_words(app):
    from flask_babel import force_locale

    from lms.author.article_wording import UNREADABLE, WARNINGS

    with app.test_request_context(), force_locale("en"):
        assert {code: str(text) for code, text in WARNINGS.items()} == WARNING_TEXTS
        assert set(UNREADABLE) >= {"empty", "no_text", "too_large", "unsupported_format",
                                   "encoding", "docx_invalid", "docx_too_large"}
