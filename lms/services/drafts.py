"""Course drafts: the files a trainer edits in the browser, published through the loader.

A draft is a course folder kept in the database (``DraftFile`` rows), so every way content
arrives (the browser editor, an uploaded article, an imported zip) is checked by the same
loader as ``courses/`` and publishes through the same versions. Saving a file names the
revision it was edited from: a save over someone else's newer save is refused, never lost.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import yaml
from markupsafe import Markup
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from lms.content.course_source import SLUG
from lms.content.loader import FRONT_MATTER, QUIZ_BLOCK, CourseFile, read_course
from lms.content.markdown import render_markdown
from lms.db import utcnow
from lms.models import Course, DraftFile, Grant, User
from lms.plugins import QuestionTypeRegistry
from lms.services import catalog
from lms.services.errors import DomainError, InvalidInput
from lms.unit_of_work import transactional

#: course.yml, or a module file as the loader lists it: no folders, nothing hidden.
FILE_NAME = re.compile(r"^(course\.yml|[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.md)$")
MAX_FILE_CHARS = 200_000
MAX_FILES = 200


class DraftConflict(DomainError):
    """The file changed since the editor opened it; ``current`` is what is saved now."""

    status = 409
    code = "conflict"

    def __init__(self, current: DraftFile):
        super().__init__(f"{current.name} was saved by someone else (revision "
                         f"{current.revision})")
        self.current = current


class DraftRefused(InvalidInput):
    """A draft change refused for a reason the trainer can fix; ``code`` is stable."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def files_of(session: Session, course: Course) -> list[DraftFile]:
    """The course's draft files, course.yml first, then by name (the loader's own order
    comes from course.yml)."""
    return sorted(session.scalars(select(DraftFile).where(DraftFile.course_id == course.id)),
                  key=lambda row: (row.name != "course.yml", row.name))


def courses_with_drafts(session: Session, course_ids: list[int]) -> set[int]:
    if not course_ids:
        return set()
    return set(session.scalars(select(DraftFile.course_id).where(
        DraftFile.course_id.in_(sorted(course_ids))).group_by(DraftFile.course_id)))


def check_files(files: Mapping[str, str]) -> None:
    if "course.yml" not in files:
        raise DraftRefused("no_course_file", "a course needs a course.yml")
    if len(files) > MAX_FILES:
        raise DraftRefused("too_many_files", f"at most {MAX_FILES} files")
    for name, text in files.items():
        _check_file(name, text)


def _check_file(name: str, text: str) -> None:
    if not FILE_NAME.fullmatch(name):
        raise DraftRefused("bad_name", f"{name!r} is not a course file name")
    if len(text) > MAX_FILE_CHARS:
        raise DraftRefused("too_long", f"{name} is longer than {MAX_FILE_CHARS} characters")


def slug_and_title(files: Mapping[str, str]) -> tuple[str, str]:
    """What a new course row needs before the whole draft is valid: its slug and title."""
    try:
        data = yaml.safe_load(files["course.yml"])
    except yaml.YAMLError as error:
        raise DraftRefused("bad_course_file", f"course.yml: {error}") from None
    data = data if isinstance(data, dict) else {}
    slug, title = str(data.get("slug") or ""), str(data.get("title") or "").strip()
    if not SLUG.fullmatch(slug):
        raise DraftRefused("bad_slug", "the slug takes lower-case letters, digits and dashes")
    if not title or len(title) > 200:
        raise DraftRefused("bad_title", "a title of 1 to 200 characters is needed")
    return slug, title


@transactional
def create_course(session: Session, actor: User, files: Mapping[str, str]) -> Course:
    """A new, unpublished course holding ``files`` as its draft; its creator becomes its
    author (a course-author grant), so they may edit and publish it."""
    from lms.services import grants  # grants imports catalog lookups; keep the cycle lazy

    check_files(files)
    slug, title = slug_and_title(files)
    if session.scalar(select(func.count()).where(Course.slug == slug)):
        raise DraftRefused("slug_taken", f"a course {slug!r} exists already")
    course = Course(slug=slug, title=title, published=False)
    session.add(course)
    session.flush()
    for name, text in files.items():
        session.add(DraftFile(course_id=course.id, name=name, text=text,
                              updated_by_id=actor.id))
    grants.grant(session, actor, grants.find_target(session, course_slug=slug))
    return course


@transactional
def start_draft(session: Session, actor: User, course: Course,
                files: Mapping[str, str]) -> None:
    """Open a draft of a published course from ``files`` (its current content as written
    out); an open draft is kept as it is."""
    if courses_with_drafts(session, [course.id]):
        return
    check_files(files)
    for name, text in files.items():
        session.add(DraftFile(course_id=course.id, name=name, text=text,
                              updated_by_id=actor.id))


@transactional
def save_file(session: Session, actor: User, course: Course, name: str, text: str,
              revision: int | None) -> DraftFile:
    """Save one file of the draft; ``revision`` is the one the editor started from (None:
    a new file). The row is locked first, so of two saves from the same revision exactly
    one wins and the other gets ``DraftConflict``."""
    text = one_newline(text)
    _check_file(name, text)
    row = session.scalar(select(DraftFile).where(
        DraftFile.course_id == course.id, DraftFile.name == name).with_for_update()
        .execution_options(populate_existing=True))
    if row is None:
        if revision is not None:
            raise DraftRefused("gone", f"{name} is no longer in the draft")
        row = DraftFile(course_id=course.id, name=name, text=text, updated_by_id=actor.id)
        session.add(row)
    elif revision != row.revision:
        raise DraftConflict(row)
    elif row.text != text:
        row.text, row.revision, row.updated_by_id = text, row.revision + 1, actor.id
        row.updated_at = utcnow()
    session.flush()
    return row


@transactional
def discard(session: Session, course: Course) -> bool:
    """Drop the draft of a course; its published versions stay. A course never published
    is nothing but its draft, so it goes too (True): no trainee can have a record of it."""
    session.execute(delete(DraftFile).where(DraftFile.course_id == course.id))
    if course.version_id is None and not course.published:
        session.execute(delete(Grant).where(Grant.course_id == course.id))
        session.delete(course)
        return True
    return False


def blank_course(slug: str, title: str) -> dict[str, str]:
    """The files of a new course: its settings and one empty module to start writing in."""
    course = {"slug": slug, "title": title, "description": "", "audience": "",
              "modules": ["01-introduction.md"]}
    module = {"slug": "introduction", "title": "第一章", "minutes": 5}
    return {"course.yml": _yaml(course),
            "01-introduction.md": f"---\n{_yaml(module)}---\n\n在这里写本章的内容。\n"}


def _yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def module_body(text: str) -> str:
    """A module file's Markdown as trainees read it: no front matter, no quiz blocks."""
    return QUIZ_BLOCK.sub("", FRONT_MATTER.sub("", text, count=1))


def one_newline(text: str) -> str:
    """Browsers send a textarea's lines ending in CR LF; course files end them in LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def preview(text: str) -> Markup:
    """The text rendered by the trainee's own renderer and sanitizer (course.yml: nothing)."""
    return render_markdown(module_body(one_newline(text)))


def read_draft(files: Mapping[str, str], registry: QuestionTypeRegistry,
               default_pass_mark: int) -> CourseFile:
    """Check the draft with the loader that reads ``courses/`` (raises ``CourseInvalid``
    with every problem, named by file and line)."""
    with tempfile.TemporaryDirectory(prefix="lms-draft-") as folder:
        for name, text in files.items():
            (Path(folder) / name).write_text(text, "utf-8")
        return read_course(Path(folder), registry, default_pass_mark)


@transactional
def publish(session: Session, actor: User, course: Course, registry: QuestionTypeRegistry,
            default_pass_mark: int) -> catalog.UpsertResult:
    """Publish the draft as the course's next version and close the draft.

    The draft must keep the course's slug. Trainees see the new version from this commit;
    their progress and attempts stay with the modules and questions they belong to. A
    question whose cite is no longer in its chapter's text does not stop it: the result's
    ``warnings`` name each, and they are listed as needing review.
    """
    rows = files_of(session, course)
    if not rows:
        raise DraftRefused("no_draft", "there is no draft to publish")
    course_file = read_draft({row.name: row.text for row in rows}, registry, default_pass_mark)
    if course_file.slug != course.slug:
        raise DraftRefused("slug_changed", "a draft cannot change the course's slug")
    result = catalog.upsert_course(session, course_file, actor_id=actor.id)
    course.published, course.archived_at = True, None
    session.execute(delete(DraftFile).where(DraftFile.course_id == course.id))
    return replace(result, warnings=tuple(f"{w.path.name}:{w.line}: {w.message}"
                                          for w in course_file.warnings))
