"""Course rules in course.yml: validated with their line, stored, versioned, written back."""

from __future__ import annotations

import pytest
import yaml

from lms.content.course_rules import CourseRules
from lms.content.course_writer import write_course
from lms.content.loader import CourseInvalid, read_course
from lms.plugins import load_question_types
from lms.services import catalog
from lms.services.course_content import content_from_rows

REGISTRY = load_question_types()
QUESTION = {"type": "true_false", "prompt": "党员应当按期交纳党费。", "answer": "正确"}
MODULE = "---\nslug: {slug}\ntitle: 第一节\nminutes: 5\n---\n正文。\n"
QUIZ = "\n```quiz\n- type: true_false\n  prompt: 党支部是党的基础组织。\n  answer: 正确\n```\n"


def files(rules, slugs=("intro", "exam")) -> dict[str, str]:
    names = [f"0{n}-{s}.md" for n, s in enumerate(slugs, start=1)]
    course = {"slug": "c", "title": "课", "modules": names, "rules": rules}
    return {"course.yml": yaml.safe_dump(course, allow_unicode=True),
            **{name: MODULE.format(slug=s) + (QUIZ if s == "exam" else "")
               for name, s in zip(names, slugs, strict=True)}}


def problems(rules) -> list[str]:
    with pytest.raises(CourseInvalid) as raised:
        read_course(files(rules), REGISTRY)
    return [str(p) for p in raised.value.problems]


def test_every_rule_is_read():
    course = read_course(files({"min_hours": 1.5, "final_exam": "exam", "sequential": True,
                                "prerequisites": ["basics"], "certificate": "final_exam",
                                "recur_months": 12, "time_cap": 2}), REGISTRY)
    assert course.rules == CourseRules(min_hours=1.5, final_exam="exam", sequential=True,
                                       prerequisites=("basics",), certificate="final_exam",
                                       recur_months=12, time_cap=2.0)
    assert CourseRules.from_json(course.rules.to_json()) == course.rules


@pytest.mark.parametrize(("rules", "message"), [
    ({"min_hours": 0.3}, "steps of 0.25"),
    ({"final_exam": "nope"}, "not the slug of a module"),
    ({"final_exam": "intro"}, "has no quiz"),
    ({"sequential": "yes"}, "true or false"),
    ({"prerequisites": ["c"]}, "its own prerequisite"),
    ({"prerequisites": "basics"}, "list of course slugs"),
    ({"certificate": "final_exam"}, "needs a final_exam module"),
    ({"certificate": "maybe"}, "certificate must be one of"),
    ({"recur_months": 0}, "recur_months"),
    ({"time_cap": 0.5}, "time_cap"),
    ({"hours": 2}, "unknown rule 'hours'"),
    ("strict", "rules must be a mapping"),
])
def test_a_wrong_rule_is_refused_with_its_line(rules, message):
    found = problems(rules)
    assert any(message in p for p in found), found
    assert all("course.yml:" in p for p in found)


def test_a_course_without_rules_keeps_its_hash(app, db, make_course):
    plain = make_course([{}])
    with_none = make_course([{}], rules={})
    digest = content_from_rows(catalog.get_course(db, plain.slug)).digest
    assert content_from_rows(catalog.get_course(db, with_none.slug)).rules is None
    assert digest != content_from_rows(catalog.get_course(
        db, make_course([{}], rules={"sequential": True}).slug)).digest


def test_rules_reach_the_course_and_its_version_and_are_written_back(app, db, make_course):
    made = make_course([{"slug": "a"}, {"slug": "exam", "questions": [QUESTION]}],
                       rules={"final_exam": "exam", "min_hours": 1})
    course = catalog.get_course(db, made.slug)
    assert course.rules == {"final_exam": "exam", "min_hours": 1.0}
    registry = app.extensions["lms"].question_types
    written = yaml.safe_load(write_course(made.slug, content_from_rows(course),
                                          registry)["course.yml"])
    assert written["rules"] == {"final_exam": "exam", "min_hours": 1.0}
    from lms.models import CourseVersion
    assert db.get(CourseVersion, course.version_id).rules == course.rules
