"""Course files: validation with path:line messages, sanitised rendering, the seed course."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.content.loader import CourseInvalid, read_course
from lms.content.markdown import render_markdown
from lms.plugins import load_question_types
from tests.conftest import SEED_COURSES

REGISTRY = load_question_types()


def write_course(folder: Path, course_yml: str, modules: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "course.yml").write_text(course_yml, "utf-8")
    for name, text in modules.items():
        (folder / name).write_text(text, "utf-8")
    return folder


GOOD_MODULE = """---
slug: one
title: 第一节
minutes: 5
---
正文。

```quiz
- type: single_choice
  prompt: 问题？
  options: [甲, 乙]
  answer: A
```
"""


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(CourseInvalid) as caught:
        read_course(folder, REGISTRY)
    return [str(p) for p in caught.value.problems]


def test_every_problem_is_reported_with_path_and_line(tmp_path):
    folder = write_course(tmp_path / "bad", "slug: Bad Slug\ntitle: 课程\npass_mark: 120\n"
                          "modules:\n  - one.md\n  - missing.md\n", {
                              "one.md": GOOD_MODULE.replace("minutes: 5", "minutes: soon")
                              .replace("answer: A", "answer: C")
                              .replace("type: single_choice", "type: single_choice\n  colour: red"),
                          })
    found = problems_of(folder)
    course = folder / "course.yml"
    module = folder / "one.md"
    assert f"{course}:1: slug must be lowercase letters, digits and hyphens" in found
    assert f"{course}:3: pass_mark must be a whole number from 0 to 100" in found
    assert f"{course}:6: missing.md does not exist" in found
    assert any(p.startswith(f"{module}:4: minutes") for p in found)
    assert f"{module}:10: question 1: unknown key 'colour'" in found
    assert f"{module}:13: question 1: answer: C is not one of the options A–B" in found


def test_yaml_syntax_errors_point_at_the_line(tmp_path):
    module = GOOD_MODULE.replace("  options: [甲, 乙]", "  options: [甲, 乙")
    folder = write_course(tmp_path / "c", "slug: c\ntitle: 课程\nmodules: [one.md]\n",
                          {"one.md": module})
    found = problems_of(folder)
    # The bracket opened on line 11 is found unclosed where the parser meets line 12.
    assert found == [f"{folder / 'one.md'}:12: invalid YAML: expected ',' or ']', but got ':'"]


def test_unknown_question_type_names_the_known_ones(tmp_path):
    folder = write_course(tmp_path / "c", "slug: c\ntitle: 课程\nmodules: [one.md]\n",
                          {"one.md": GOOD_MODULE.replace("single_choice", "essay")})
    (found,) = problems_of(folder)
    assert found.endswith("question 1: unknown type 'essay' (known: fill_blank, matching, "
                          "multiple_choice, numerical, ordering, short_answer, single_choice, true_false)")
    assert f"{folder / 'one.md'}:9:" in found


def test_valid_course_reads_with_defaults(tmp_path):
    folder = write_course(tmp_path / "c", "slug: c\ntitle: 课程\nmodules: [one.md]\n",
                          {"one.md": GOOD_MODULE})
    course = read_course(folder, REGISTRY, default_pass_mark=60)
    assert course.pass_mark == 60
    (module,) = course.modules
    assert module.slug == "one" and module.required is True
    assert "```quiz" not in module.source and "<p>正文。</p>" in module.html
    assert module.questions[0].spec["answer"] == 0


def test_markdown_is_sanitised():
    html = str(render_markdown(
        "# 标题\n\n<script>alert(1)</script>\n\n[点我](javascript:alert(1)) "
        '<img src="x" onerror="alert(1)"> <iframe src="https://e.example"></iframe>\n\n'
        "**加粗** [链接](https://example.org)"
    ))
    assert "<script" not in html and "javascript:" not in html
    assert "onerror" not in html and "<iframe" not in html
    assert "<strong>加粗</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">链接</a>' in html


def test_seed_course_matches_the_article():
    course = read_course(SEED_COURSES / "jiceng-dangjian", REGISTRY)
    assert course.pass_mark == 80
    assert [m.slug for m in course.modules] == [
        "overview", "responsibility", "activity-venues", "mechanism-innovation",
        "branch-secretaries", "party-affairs-talent", "party-members", "party-history",
        "conclusion",
    ]
    article = (Path(__file__).resolve().parents[3] / "shared" / "seed" / "article.txt")
    types = set()
    for module in course.modules:
        assert 3 <= len(module.questions) <= 5, module.slug
        for question in module.questions:
            types.add(question.type)
            assert "原文" in question.spec["explanation"]
        if article.exists():
            text = article.read_text("utf-8")
            for question in module.questions:
                quote = question.spec["explanation"].split("“", 1)[1].rsplit("”", 1)[0]
                assert quote in text, (module.slug, quote)
    assert types == {"single_choice", "multiple_choice", "true_false", "fill_blank"}
    # The article repeats itself by accident; the course carries its text once.
    whole = "".join(m.source for m in course.modules)
    assert whole.count("强化党建工作过程中,其责任制具有不可替代的作用") == 1
    assert "3.3" in course.modules[6].title
