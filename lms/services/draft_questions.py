"""The questions of one chapter of a draft, changed through forms instead of YAML.

A chapter's questions live in its file's ```quiz block. Each change here reads that block
with the loader, changes one question and writes the block again with the canonical course
writer, leaving the rest of the file as it was; the file is saved naming the revision the
page showed, so a change someone made meanwhile is a ``DraftConflict``, never lost. Every
question written gets its key as ``id:`` so that rewording it keeps its history, and a new
question gets a fresh id of its own (``<chapter-slug>-<n>``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.content.citations import CiteError, read_cite
from lms.content.course_writer import CourseWriteError, write_question
from lms.content.course_writer import dump_yaml as canonical_yaml  # the writer's own style
from lms.content.identity import derived_keys
from lms.content.loader import FRONT_MATTER, QUIZ_BLOCK, SLUG
from lms.content.loader import read_questions as read_quiz  # the loader's own checks
from lms.models import Course, DraftFile, Question, User
from lms.plugins import QuestionTypeRegistry
from lms.questions.base import SpecError
from lms.services import drafts
from lms.services.course_content import QuestionContent
from lms.services.drafts import DraftRefused
from lms.unit_of_work import transactional


@dataclass(frozen=True)
class DraftQuestion:
    key: str
    type: str
    spec: dict[str, Any]     # as load_spec returns it
    cite: str | None


@dataclass(frozen=True)
class Chapter:
    """A chapter file's questions; ``problem`` says why they cannot be edited as forms
    (the file must be fixed as text first) and ``questions`` is then empty."""

    name: str
    revision: int
    slug: str
    questions: list[DraftQuestion]
    problem: str | None = None

    def find(self, key: str) -> DraftQuestion | None:
        return next((q for q in self.questions if q.key == key), None)


def _row(session: Session, course: Course, name: str) -> DraftFile:
    row = next((r for r in drafts.files_of(session, course) if r.name == name), None)
    if row is None or not name.endswith(".md"):
        raise DraftRefused("gone", f"{name} is no longer in the draft")
    return row


def _block(text: str) -> tuple[re.Match | None, list[re.Match]]:
    front = FRONT_MATTER.match(text)
    blocks = list(QUIZ_BLOCK.finditer(text, front.end() if front else 0))
    return front, blocks


def parse_chapter(row: DraftFile, registry: QuestionTypeRegistry) -> Chapter:
    """Read the chapter's questions exactly as publishing would."""
    text = drafts.one_newline(row.text)
    front, blocks = _block(text)
    try:
        data = yaml.safe_load(front.group(1)) if front else None
    except yaml.YAMLError:
        data = None
    slug = data.get("slug") if isinstance(data, dict) else None
    if not isinstance(slug, str) or not SLUG.match(slug):
        return Chapter(row.name, row.revision, "", [], "the front matter has no valid slug")
    if len(blocks) > 1:
        return Chapter(row.name, row.revision, slug, [], "there is more than one ```quiz block")
    problems: list = []
    found = read_quiz(blocks[0].group(1), Path(row.name),
                      text.count("\n", 0, blocks[0].start()) + 2, registry,
                      problems) if blocks else []
    if problems:
        return Chapter(row.name, row.revision, slug, [], str(problems[0]))
    keys = derived_keys(slug, (q.spec["prompt"] for q in found))
    questions = [DraftQuestion(q.written_id or key, q.type, q.spec, q.cite)
                 for q, key in zip(found, keys, strict=True)]
    return Chapter(row.name, row.revision, slug, questions)


def read_chapter(session: Session, course: Course, name: str,
                 registry: QuestionTypeRegistry) -> Chapter:
    return parse_chapter(_row(session, course, name), registry)


def written(question: DraftQuestion, registry: QuestionTypeRegistry) -> dict[str, Any]:
    """The question as its ```quiz item, the way the course writer writes it."""
    content = replace(QuestionContent.from_spec(question.key, "file", question.type,
                                                question.spec), cite=question.cite)
    try:
        return write_question(content, registry)
    except CourseWriteError as error:
        raise DraftRefused("cannot_write", str(error)) from None


def _editable(session: Session, course: Course, name: str,
              registry: QuestionTypeRegistry) -> tuple[DraftFile, Chapter]:
    row = _row(session, course, name)
    chapter = parse_chapter(row, registry)
    if chapter.problem:
        raise DraftRefused("unreadable_quiz", f"{name}: {chapter.problem}")
    return row, chapter


def _save(session: Session, actor: User, course: Course, row: DraftFile, revision: int,
          questions: list[DraftQuestion], registry: QuestionTypeRegistry) -> None:
    """Write the chapter with ``questions`` as its quiz block, the rest of the file kept."""
    text = drafts.one_newline(row.text)
    _, blocks = _block(text)
    items = [written(question, registry) for question in questions]
    block = f"```quiz\n{canonical_yaml(items)}```\n" if items else ""
    if blocks:
        before, after = text[:blocks[0].start()], text[blocks[0].end():]
    else:
        before, after = text, ""
    before = before.rstrip("\n") + "\n"
    after = after.lstrip("\n")
    text = before + (f"\n{block}" if block else "") + (f"\n{after}" if after else "")
    drafts.save_file(session, actor, course, row.name, text, revision)


def _new_key(session: Session, course: Course, slug: str) -> str:
    """``<slug>-<n>`` not used by any question of the draft nor of any published version
    (an old key would give the new question the history of one long gone)."""
    taken = set(session.scalars(select(Question.key).where(Question.course_id == course.id)))
    for row in drafts.files_of(session, course):
        for block in QUIZ_BLOCK.finditer(drafts.one_newline(row.text)):
            try:
                items = yaml.safe_load(block.group(1))
            except yaml.YAMLError:
                continue
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict) and item.get("id") is not None:
                    taken.add(str(item["id"]))
    number = 1
    while f"{slug[:70]}-{number}" in taken:
        number += 1
    return f"{slug[:70]}-{number}"


def check(registry: QuestionTypeRegistry, type_name: str, raw: dict[str, Any],
          cite: str) -> tuple[dict[str, Any], str | None]:
    """The definition and cite typed in a form, validated by the type; ``SpecError``
    names the field at fault."""
    question_type = registry.get(type_name)
    if question_type is None:
        raise DraftRefused("unknown_type", f"question type {type_name!r} is not installed")
    spec = question_type.load_spec({"type": type_name, **raw})
    try:
        return spec, read_cite(cite) if cite.strip() else None
    except CiteError as error:
        raise SpecError("cite", str(error)) from None


@transactional
def add_question(session: Session, actor: User, course: Course, name: str, revision: int,
                 registry: QuestionTypeRegistry, type_name: str, raw: dict[str, Any],
                 cite: str = "") -> str:
    """Append a question to the chapter; returns its new key."""
    spec, cited = check(registry, type_name, raw, cite)
    row, chapter = _editable(session, course, name, registry)
    key = _new_key(session, course, chapter.slug)
    _save(session, actor, course, row, revision,
          [*chapter.questions, DraftQuestion(key, type_name, spec, cited)], registry)
    return key


def _find(chapter: Chapter, key: str) -> int:
    for index, question in enumerate(chapter.questions):
        if question.key == key:
            return index
    raise DraftRefused("question_gone", f"question {key} is no longer in {chapter.name}")


@transactional
def edit_question(session: Session, actor: User, course: Course, name: str, revision: int,
                  registry: QuestionTypeRegistry, key: str, raw: dict[str, Any],
                  cite: str = "") -> None:
    """Rewrite one question, keeping its key and type (so its history stays with it)."""
    row, chapter = _editable(session, course, name, registry)
    index = _find(chapter, key)
    old = chapter.questions[index]
    spec, cited = check(registry, old.type, raw, cite)
    questions = list(chapter.questions)
    questions[index] = DraftQuestion(key, old.type, spec, cited)
    _save(session, actor, course, row, revision, questions, registry)


@transactional
def remove_question(session: Session, actor: User, course: Course, name: str, revision: int,
                    registry: QuestionTypeRegistry, key: str) -> None:
    """Take a question out of the draft; published versions and past answers keep it."""
    row, chapter = _editable(session, course, name, registry)
    index = _find(chapter, key)
    _save(session, actor, course, row, revision,
          chapter.questions[:index] + chapter.questions[index + 1:], registry)


@transactional
def move_question(session: Session, actor: User, course: Course, name: str, revision: int,
                  registry: QuestionTypeRegistry, key: str, step: int) -> None:
    """Move a question one place up (-1) or down (+1); at either end nothing moves."""
    row, chapter = _editable(session, course, name, registry)
    at = _find(chapter, key)
    to = at + (1 if step > 0 else -1)
    if 0 <= to < len(chapter.questions):
        questions = list(chapter.questions)
        questions[at], questions[to] = questions[to], questions[at]
        _save(session, actor, course, row, revision, questions, registry)
