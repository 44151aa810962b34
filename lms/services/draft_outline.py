"""Course settings and the chapter list of a draft, changed through forms instead of YAML.

Trainers are not programmers: these functions edit ``course.yml`` for them (settings, the
order of the chapters) and add or remove chapter files, each as one unit of work that
names the ``course.yml`` revision the page showed, so a change made meanwhile by someone
else is reported, not overwritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from sqlalchemy import delete
from sqlalchemy.orm import Session

from lms.content.loader import FRONT_MATTER
from lms.models import Course, DraftFile, User
from lms.services import drafts
from lms.services.drafts import DraftRefused
from lms.unit_of_work import transactional

SETTINGS = ("title", "description", "audience", "pass_mark")


@dataclass(frozen=True)
class Outline:
    settings: dict[str, Any]
    modules: list[str]   # chapter file names in course order
    revision: int        # of course.yml


@dataclass(frozen=True)
class Chapter:
    """What the chapter list shows of one module file, read from its front matter."""

    title: str
    required: bool
    revision: int


def chapters(rows: list[DraftFile]) -> dict[str, Chapter]:
    """Each module file's title and required flag (the file name, required, if unreadable)."""
    found = {}
    for row in rows:
        front = _front(row.text)
        title = front.get("title") if front else None
        found[row.name] = Chapter(str(title) if title else row.name,
                                  front.get("required", True) is not False if front else True,
                                  row.revision)
    return found


def _front(text: str) -> dict[str, Any] | None:
    match = FRONT_MATTER.match(text)
    try:
        front = yaml.safe_load(match.group(1)) if match else None
    except yaml.YAMLError:
        return None
    return front if isinstance(front, dict) else None


@transactional
def set_required(session: Session, actor: User, course: Course, name: str, revision: int,
                 required: bool) -> None:
    """Mark a chapter required (counts towards completing the course) or optional."""
    row = next((r for r in drafts.files_of(session, course) if r.name == name), None)
    if row is None or not name.endswith(".md"):
        raise DraftRefused("gone", f"{name} is no longer in the draft")
    match = FRONT_MATTER.match(row.text)
    front = _front(row.text)
    if match is None or front is None:
        raise DraftRefused("bad_front_matter", f"{name} has no readable front matter")
    if required:
        front.pop("required", None)  # the default: written only when it is not
    else:
        front["required"] = False
    text = f"---\n{_dump(front)}---\n" + row.text[match.end():]
    drafts.save_file(session, actor, course, name, text, revision)


def _load(text: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        raise DraftRefused("bad_course_file", "course.yml cannot be read") from None
    if not isinstance(data, dict):
        raise DraftRefused("bad_course_file", "course.yml must be a mapping of keys")
    return data


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def outline(rows: list[DraftFile]) -> Outline | None:
    """What the forms show; None when course.yml cannot be read (edit it as text)."""
    course_file = next((row for row in rows if row.name == "course.yml"), None)
    if course_file is None:
        return None
    try:
        data = _load(course_file.text)
    except DraftRefused:
        return None
    modules = data.get("modules")
    names = [name for name in modules if isinstance(name, str)] if isinstance(modules, list) \
        else []
    return Outline({key: data.get(key) for key in SETTINGS}, names, course_file.revision)


def _course_yml(session: Session, course: Course) -> DraftFile:
    row = next((r for r in drafts.files_of(session, course) if r.name == "course.yml"), None)
    if row is None:
        raise DraftRefused("no_draft", "there is no draft to change")
    return row


@transactional
def save_settings(session: Session, actor: User, course: Course, revision: int, *,
                  title: str, description: str, audience: str, pass_mark: int | None) -> None:
    data = _load(_course_yml(session, course).text)
    data.update(title=title, description=description, audience=audience)
    if pass_mark is None:
        data.pop("pass_mark", None)
    else:
        data["pass_mark"] = pass_mark
    drafts.save_file(session, actor, course, "course.yml", _dump(data), revision)


def _slug_for(title: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "chapter"
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transactional
def add_module(session: Session, actor: User, course: Course, revision: int,
               title: str) -> str:
    """A new, empty chapter at the end; returns its file name."""
    rows = drafts.files_of(session, course)
    data = _load(_course_yml(session, course).text)
    names = list(data.get("modules") or [])
    taken = {name.split("-", 1)[-1].removesuffix(".md") for name in names}
    slug = _slug_for(title, taken)
    existing = {row.name for row in rows}
    number = len(names) + 1
    name = f"{number:02d}-{slug}.md"
    while name in existing:
        number += 1
        name = f"{number:02d}-{slug}.md"
    front = _dump({"slug": slug, "title": title, "minutes": 5})
    drafts.save_file(session, actor, course, name, f"---\n{front}---\n\n", None)
    data["modules"] = [*names, name]
    drafts.save_file(session, actor, course, "course.yml", _dump(data), revision)
    return name


@transactional
def move_module(session: Session, actor: User, course: Course, revision: int, name: str,
                step: int) -> None:
    """Move a chapter one place up (-1) or down (+1); at either end nothing moves."""
    data = _load(_course_yml(session, course).text)
    names = list(data.get("modules") or [])
    if name not in names:
        raise DraftRefused("gone", f"{name} is no longer in the draft")
    at = names.index(name)
    to = at + (1 if step > 0 else -1)
    if 0 <= to < len(names):
        names[at], names[to] = names[to], names[at]
        data["modules"] = names
        drafts.save_file(session, actor, course, "course.yml", _dump(data), revision)


@transactional
def remove_module(session: Session, actor: User, course: Course, revision: int,
                  name: str) -> None:
    """Take a chapter out of the draft. Published versions keep it, and trainees' records
    of it stay; publishing the draft drops it from the next version only."""
    data = _load(_course_yml(session, course).text)
    names = list(data.get("modules") or [])
    if name not in names:
        raise DraftRefused("gone", f"{name} is no longer in the draft")
    if len(names) == 1:
        raise DraftRefused("last_module", "a course keeps at least one chapter")
    data["modules"] = [n for n in names if n != name]
    drafts.save_file(session, actor, course, "course.yml", _dump(data), revision)
    session.execute(delete(DraftFile).where(DraftFile.course_id == course.id,
                                            DraftFile.name == name))
