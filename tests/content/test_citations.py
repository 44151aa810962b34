"""A question cites the passage of its module it rests on: read, checked, hashed, written."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from lms.content.course_writer import write_course
from lms.content.identity import content_hash
from lms.content.loader import CourseInvalid, read_course
from lms.plugins import load_question_types
from lms.services.course_content import content_from_files
from tests.conftest import SEED_COURSES

REGISTRY = load_question_types()
TEXT = "## 第一节\n\n党建责任制,始终秉承“四个坚持”原则,\n坚持党的领导。\n\n另一段话。"


def course(quiz: str, text: str = TEXT, *, sibling: bool = False) -> dict[str, str]:
    module = f"---\nslug: a\ntitle: 节\nminutes: 5\n---\n\n{text}\n"
    files = {"course.yml": "slug: cited\ntitle: 课\nmodules: [a.md]\n"}
    if sibling:
        files["a.quiz.yml"] = quiz
    else:
        module += f"\n```quiz\n{quiz}```\n"
    return {**files, "a.md": module}


def question(cite: str, extra: str = "") -> str:
    return (f"- id: q1\n  type: true_false\n  prompt: 责任制秉承“四个坚持”原则。\n"
            f"  answer: 对\n  explanation: 见原文。\n{extra}  cite: {cite}\n")


def test_every_seed_question_cites_a_passage_of_its_module_that_the_loader_accepts():
    seed = read_course(SEED_COURSES / "jiceng-dangjian", REGISTRY)
    assert seed.warnings == []
    questions = [(m, q) for m in seed.modules for q in m.questions]
    assert len(questions) >= 30
    for module, item in questions:
        assert item.cite and item.cite in module.source, item.key
        assert item.cite in item.spec["explanation"], item.key  # the 原文 the explanation quotes


def test_a_cite_is_found_across_line_breaks_and_spaces():
    loaded = read_course(course(question("“四个坚持”原则, 坚持党的领导。")), REGISTRY)
    assert loaded.warnings == []
    assert loaded.modules[0].questions[0].cite == "“四个坚持”原则, 坚持党的领导。"


@pytest.mark.parametrize("sibling", [False, True], ids=["quiz-block", "quiz-yml"])
def test_a_cite_not_in_the_text_is_a_warning_at_its_line_and_the_course_still_reads(sibling):
    files = course(question("坚持经济效益优先。"), sibling=sibling)
    loaded = read_course(files, REGISTRY)
    name, line = ("a.quiz.yml", 6) if sibling else ("a.md", 20)
    assert [str(w) for w in loaded.warnings] == [
        f"{name}:{line}: question 1 (q1): cite: the passage is not in the module's text; "
        "the question needs review"]
    assert loaded.modules[0].questions[0].cite == "坚持经济效益优先。"


def test_the_quiz_itself_is_not_the_text_a_cite_may_quote():
    """The prompt and explanation are in the file too, but not in what trainees read."""
    loaded = read_course(course(question("责任制秉承“四个坚持”原则。")), REGISTRY)
    assert len(loaded.warnings) == 1


@pytest.mark.parametrize("value, message", [
    ("''", "must be non-empty text"),
    ("[甲, 乙]", "must be non-empty text"),
    ("甲" * 501, "is longer than 500 characters"),
])
def test_a_cite_that_is_no_passage_is_a_problem_naming_file_and_line(value, message):
    with pytest.raises(CourseInvalid) as caught:
        read_course(course(question(value)), REGISTRY)
    [problem] = caught.value.problems
    assert str(problem).startswith(f"a.md:20: question 1: cite: {message}")


def test_the_cite_is_part_of_the_question_content_and_its_hash():
    first = content_from_files(read_course(course(question("另一段话。")), REGISTRY), {})
    other = content_from_files(read_course(course(question("坚持党的领导。")), REGISTRY), {})
    cited, recited = first.modules[0].questions[0], other.modules[0].questions[0]
    assert cited.cite == "另一段话。" and cited.digest != recited.digest
    assert first.digest != other.digest
    # Without a cite the hash is the one recorded before cites existed: no spurious revision.
    bare = replace(cited, cite=None)
    assert bare.digest == content_hash({
        "type": bare.type, "prompt": bare.prompt, "options": bare.options,
        "answer": bare.answer, "explanation": bare.explanation, "points": bare.points})


def test_cites_are_written_back_and_read_the_same_byte_for_byte():
    files = course(question("“四个坚持”原则, 坚持党的领导。", extra="  points: 2\n")
                   + "- type: true_false\n  prompt: 无引用。\n  answer: 错\n")
    original = read_course(files, REGISTRY)
    written = write_course("cited", content_from_files(original, {}), REGISTRY)
    assert "  points: 2\n  cite: “四个坚持”原则, 坚持党的领导。\n" in written["01-a.md"]
    assert written["01-a.md"].count("cite:") == 1
    again = read_course(written, REGISTRY)
    assert [q.cite for q in again.modules[0].questions] == ["“四个坚持”原则, 坚持党的领导。", None]
    assert content_from_files(again, {}) == content_from_files(original, {})
    assert write_course("cited", content_from_files(again, {}), REGISTRY) == written


def test_the_seed_course_round_trips_with_its_cites():
    seed = read_course(SEED_COURSES / "jiceng-dangjian", REGISTRY)
    written = write_course(seed.slug, content_from_files(seed, {}), REGISTRY)
    again = read_course(written, REGISTRY)
    assert [q.cite for m in again.modules for q in m.questions] == [
        q.cite for m in seed.modules for q in m.questions]
    assert write_course(seed.slug, content_from_files(again, {}), REGISTRY) == written


def test_cite_is_a_key_every_type_accepts_without_knowing_it():
    for type_name in REGISTRY.names():
        assert "cite" not in REGISTRY[type_name].keys
    loaded = read_course(course(
        "- type: short_answer\n  prompt: 简述。\n  cite: 另一段话。\n"), REGISTRY)
    assert loaded.modules[0].questions[0].cite == "另一段话。"


def test_module_path_is_kept_for_warnings_from_a_folder(tmp_path: Path):
    folder = tmp_path / "cited"
    folder.mkdir()
    for name, text in course(question("没有的原文。")).items():
        (folder / name).write_text(text, "utf-8")
    [warning] = read_course(folder, REGISTRY).warnings
    assert str(warning).startswith(f"{folder / 'a.md'}:20: question 1 (q1): cite:")
