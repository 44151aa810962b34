"""Question identity in course files: ``id:`` keys, checked per course, and derived keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.content.identity import derived_keys
from lms.content.loader import CourseInvalid, read_course
from lms.plugins import load_question_types
from tests.conftest import SEED_COURSES

REGISTRY = load_question_types()


def module(slug: str, quiz: str) -> str:
    return f"---\nslug: {slug}\ntitle: 节\nminutes: 5\n---\n正文。\n\n```quiz\n{quiz}```\n"


def course(folder: Path, **modules: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    names = "".join(f"  - {name}.md\n" for name in modules)
    (folder / "course.yml").write_text(f"slug: ids\ntitle: 课\nmodules:\n{names}", "utf-8")
    for name, text in modules.items():
        (folder / f"{name}.md").write_text(text, "utf-8")
    return folder


TF = "- {id}type: true_false\n  prompt: {prompt}\n  answer: 正确\n"


def test_an_id_is_allowed_on_every_type_and_becomes_the_key(tmp_path):
    quiz = (TF.format(id="id: tf-1\n  ", prompt="甲")
            + "- id: 7\n  type: single_choice\n  prompt: 乙\n  options: [对, 错]\n  answer: A\n")
    read = read_course(course(tmp_path / "c", a=module("a", quiz)), REGISTRY)
    assert [q.key for q in read.modules[0].questions] == ["tf-1", "7"]
    assert "id" not in read.modules[0].questions[0].spec


def test_an_id_used_twice_in_a_course_names_both_places(tmp_path):
    folder = course(tmp_path / "c", a=module("a", TF.format(id="id: same\n  ", prompt="甲")),
                    b=module("b", TF.format(id="", prompt="乙")
                             + TF.format(id="id: same\n  ", prompt="丙")))
    with pytest.raises(CourseInvalid) as caught:
        read_course(folder, REGISTRY)
    assert [str(p) for p in caught.value.problems] == [
        f"{folder / 'b.md'}:12: id 'same' is already used by the question at a.md:9"]


def test_a_malformed_id_points_at_its_line(tmp_path):
    folder = course(tmp_path / "c", a=module("a", TF.format(id="id: 两个 字\n  ", prompt="甲")))
    with pytest.raises(CourseInvalid) as caught:
        read_course(folder, REGISTRY)
    assert str(caught.value.problems[0]).startswith(f"{folder / 'a.md'}:9: question 1: id must")


def test_derived_keys_follow_the_prompt_not_the_position():
    keys = derived_keys("m", ["甲？", "乙？", "甲？"])
    assert keys[0].startswith("m/") and keys[2] == keys[0] + "-2"
    assert derived_keys("m", ["乙？", "甲？"]) == [keys[1], keys[0]]
    assert derived_keys("m", ["  甲？ "]) == derived_keys("m", ["甲?"])  # spacing, width
    assert derived_keys("other", ["甲？"]) != derived_keys("m", ["甲？"])


def test_every_seed_question_has_an_id():
    read = read_course(SEED_COURSES / "jiceng-dangjian", REGISTRY)
    keys = [q.key for m in read.modules for q in m.questions]
    assert all(q.written_id for m in read.modules for q in m.questions)
    assert len(keys) == len(set(keys)) == 39
