"""Course files written from a course's content read back as the same course, byte for byte."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from lms.content.course_writer import CourseWriteError, write_course
from lms.content.loader import CourseInvalid, read_course
from lms.plugins import load_question_types
from lms.services.course_content import QuestionContent, content_from_files
from tests.conftest import SEED_COURSES, TEST_COURSES

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins" / "lms-likert-plugin"))
from lms_likert import Likert  # noqa: E402  (the example plugin type, not installed here)

REGISTRY = load_question_types()
REGISTRY.register(Likert, "lms-likert-plugin (tests)")
FOLDERS = sorted(p.parent for p in [*SEED_COURSES.glob("*/course.yml"),
                                    *TEST_COURSES.glob("*/course.yml")])

EVERY_TYPE = """\
- id: single
  type: single_choice
  prompt: "单选: 选哪个？"
  options: [甲, 乙, "119"]
  answer: C
  explanation: |-
    第一行解析
    第二行解析
  points: 3
- type: multiple_choice
  prompt: 多选
  options: [甲, 乙, 丙]
  answer: AC
- type: true_false
  prompt: 对吗
  answer: 对
- type: fill_blank
  prompt: 电话是____，口号是____。
  answer:
    - "119"
    - [甲|乙, 丙]
- type: ordering
  prompt: 排序
  options: [一, 二, 三]
  answer: CAB
- type: short_answer
  prompt: 简述。
- type: short_answer
  prompt: 简述作用。
  answer: 核心力量。
- type: numerical
  prompt: 长度是多少米？
  answer:
    - "3.14±0.01 # 正确"  # quoted: YAML reads an unquoted " #" as a comment
    - 3.1..3.2 (50%)
  units: [米, m]
- type: numerical
  prompt: 二加二等于几？
  answer: 4
- type: matching
  prompt: 连线。
  options:
    - 党的最高领导机关 → 党的全国代表大会
    - [党的最高监督机关, 中央纪律检查委员会]
    - -> 中央军事委员会
- type: likert
  prompt: 我同意。
  answer: D
- type: likert
  prompt: 只是调查。
  options: [低, 中, 高]
"""


def write(folder_or_files) -> dict[str, str]:
    course = read_course(folder_or_files, REGISTRY)
    return write_course(course.slug, content_from_files(course, {}), REGISTRY,
                        published=course.published)


def make(tmp_path: Path, quiz: str, front: str = "", text: str = "正文。") -> Path:
    folder = tmp_path / "made"
    folder.mkdir(parents=True)
    (folder / "course.yml").write_text("slug: made\ntitle: 课\nmodules: [a.md]\n", "utf-8")
    (folder / "a.md").write_text(f"---\nslug: a\ntitle: 节\nminutes: 5\n{front}---\n{text}\n\n"
                                 f"```quiz\n{quiz}```\n", "utf-8")
    return folder


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_written_files_read_back_as_the_same_course_and_write_the_same_bytes(folder):
    original = read_course(folder, REGISTRY)
    files = write(folder)
    again = read_course(files, REGISTRY)
    assert write(files) == files
    assert content_from_files(again, {}) == content_from_files(original, {})
    assert [q.written_id for m in again.modules for q in m.questions] == [
        q.key for m in original.modules for q in m.questions]


def test_the_seed_course_is_written_as_a_trainer_would_write_it():
    files = write(SEED_COURSES / "jiceng-dangjian")
    assert files["course.yml"].startswith("slug: jiceng-dangjian\ntitle: 基层党建工作创新与队伍建设\n")
    assert "modules:\n  - 01-overview.md\n  - 02-responsibility.md\n" in files["course.yml"]
    module = files["02-responsibility.md"]
    assert module.startswith("---\nslug: responsibility\ntitle: 1.1 健全党建工作责任制\n"
                             "minutes: 6\n---\n\n## 1.强化党建工作")
    assert ("```quiz\n- id: responsibility-1\n  type: single_choice\n"
            "  prompt: 强化党建工作，首先必须建立怎样的格局？\n  options:\n    - 部门包干\n") in module
    assert "  answer:\n    - 四个坚持|“四个坚持”\n" in module
    assert module.count("```quiz") == 1 and module.endswith("```\n")


def test_questions_of_every_registered_type_keep_their_definition_and_key(tmp_path):
    folder = make(tmp_path, EVERY_TYPE)
    original = read_course(folder, REGISTRY)
    assert {q.type for q in original.modules[0].questions} == set(REGISTRY.names())
    files = write(folder)
    again = read_course(files, REGISTRY)
    pairs = zip(original.modules[0].questions, again.modules[0].questions, strict=True)
    for before, after in pairs:
        assert (after.written_id, after.type, after.spec) == (before.key, before.type,
                                                               before.spec)
    assert write(files) == files
    assert "  answer: D\n" in files["01-a.md"]  # the plugin's letter, from its Excel form


def test_settings_and_tricky_text_survive(tmp_path):
    front = ("required: false\npass_mark: 90\nquiz:\n  attempts: 2\n  draw: 1\n"
             "  show_answers: never\n")
    text = "# 标题\n\n---\n\n```python\nprint('x')\n```\n\n  缩进的行  "
    folder = make(tmp_path, "- type: true_false\n  prompt: 'yes: no'\n  answer: 错\n",
                  front=front, text=text)
    files = write(folder)
    assert ("required: false\npass_mark: 90\nquiz:\n  attempts: 2\n  draw: 1\n"
            "  show_answers: never\n---\n") in files["01-a.md"]
    module = read_course(files, REGISTRY).modules[0]
    hidden = {**files, "course.yml": files["course.yml"].replace(
        "modules:", "published: false\nmodules:")}
    assert write(hidden) == hidden and read_course(hidden, REGISTRY).published is False
    assert (module.required, module.pass_mark, module.quiz.draw) == (False, 90, 1)
    assert module.source == read_course(folder, REGISTRY).modules[0].source
    assert write(files) == files


def test_bank_and_derived_keys_are_written_as_ids_and_read_back_as_the_same_keys(tmp_path):
    folder = make(tmp_path, "- type: true_false\n  prompt: 对吗\n  answer: 对\n")
    course = read_course(folder, REGISTRY)
    derived = course.modules[0].questions[0].key
    bank = QuestionContent.from_spec("a/bank-0123456789", "bank", "true_false",
                                     {"prompt": "补充", "answer": False})
    content = content_from_files(course, {"a": [bank]})
    files = write_course("made", content, REGISTRY)
    assert f"- id: {derived}\n" in files["01-a.md"] and "- id: a/bank-0123456789\n" in files[
        "01-a.md"]
    assert [q.key for q in read_course(files, REGISTRY).modules[0].questions] == [
        derived, "a/bank-0123456789"]


def test_content_that_would_not_read_back_is_refused_with_its_name(tmp_path):
    content = content_from_files(read_course(make(tmp_path, EVERY_TYPE), REGISTRY), {})
    module = content.modules[0]
    with_quiz_text = replace(content, modules=(
        replace(module, source="正文\n\n```quiz\n- x\n```\n"),))
    with pytest.raises(CourseWriteError, match="module a: its text contains a ```quiz block"):
        write_course("made", with_quiz_text, REGISTRY)
    unknown = replace(content, modules=(replace(module, questions=(
        replace(module.questions[0], type="hotspot"),)),))
    with pytest.raises(CourseWriteError, match="question single: question type 'hotspot'"):
        write_course("made", unknown, REGISTRY)


def test_files_in_memory_report_problems_by_name_and_line():
    files = {"course.yml": "slug: mem\ntitle: 课\nmodules: [a.md, b.md]\n",
             "a.md": "---\nslug: a\ntitle: 甲\nminutes: 0\n---\n正文\n",
             "notes.md": "草稿"}
    with pytest.raises(CourseInvalid) as caught:
        read_course(files, REGISTRY)
    assert [str(p) for p in caught.value.problems] == [
        "a.md:4: minutes must be a whole number of estimated minutes (1-600)",
        "course.yml:3: b.md does not exist",
        "notes.md:1: is not listed in course.yml modules",
    ]
    with pytest.raises(CourseInvalid, match="course.yml:1: course.yml is missing"):
        read_course({"a.md": "x"}, REGISTRY)


def test_an_id_in_the_form_of_another_questions_key_is_refused(tmp_path):
    folder = make(tmp_path, "- type: true_false\n  prompt: 对吗\n  answer: 对\n")
    derived = read_course(folder, REGISTRY).modules[0].questions[0].key
    quiz = (f"- type: true_false\n  prompt: 对吗\n  answer: 对\n"
            f"- id: {derived}\n  type: true_false\n  prompt: 另一题\n  answer: 错\n")
    with pytest.raises(CourseInvalid, match=f"id '{derived}' is already used by the question"):
        read_course(make(tmp_path / "two", quiz), REGISTRY)
