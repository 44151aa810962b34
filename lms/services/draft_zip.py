"""Course zips in and out of drafts: an imported zip becomes a draft, never a version.

A zip is read by ``read_course_zip`` (limits, unsafe names), its files must be UTF-8 text
the browser editor can hold, and then they go where every other way of writing a course
goes: a new course's draft, or the existing course's draft, replaced as a whole. Only a
publish makes a version, so trainees and their records are untouched by an import. A draft
with unpublished edits is replaced only after a preview: the files wait in an import batch
(one-use token) and the confirm refuses if the draft changed since the preview.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from lms.content.course_writer import CourseWriteError
from lms.content.course_zip import CourseZipError, read_course_zip, zip_course
from lms.db import utcnow
from lms.models import Course, DraftFile, ImportBatch, User
from lms.plugins import QuestionTypeRegistry
from lms.services import drafts, import_batches
from lms.services.course_files import course_files
from lms.services.errors import DomainError, InvalidInput, NotFound
from lms.services.import_batches import BatchRefused
from lms.services.permissions import Action, Scope, allowed
from lms.unit_of_work import transactional

KIND = "course_zip"  # ImportBatch.kind


class DraftZipStale(DomainError):
    """The draft changed between the preview and the confirm: nothing was replaced."""

    status = 409


class NotYourCourse(DomainError):
    """The zip is for a course that exists and that the importer does not author."""

    status = 403

    def __init__(self, slug: str):
        super().__init__(f"not an author of {slug!r}")
        self.slug = slug


class WrongCourse(InvalidInput):
    """The zip was uploaded for one course but its course.yml names another."""

    def __init__(self, slug: str, expected: str):
        super().__init__(f"the zip is for course {slug!r}, not {expected!r}", field="file")
        self.slug, self.expected = slug, expected


@dataclass(frozen=True)
class ZipPlan:
    """What importing the zip would do: create ``slug``, or replace ``course``'s draft."""

    slug: str
    files: dict[str, str]
    course: Course | None = None
    replaced: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    #: The draft holds work not in the published version: ask before replacing it.
    needs_confirm: bool = False
    fingerprint: str = ""

    @property
    def changes_anything(self) -> bool:
        return self.course is None or bool(self.replaced or self.added or self.removed)


def draft_export(session: Session, course: Course) -> tuple[str, bytes]:
    """The draft's files as a zip (``SLUG-draft.zip``, course folder ``SLUG/``)."""
    files = {row.name: row.text for row in drafts.files_of(session, course)}
    if not files:
        raise NotFound(f"course {course.slug!r} has no draft")
    return f"{course.slug}-draft.zip", zip_course(files, course.slug)


def zip_files(data: bytes) -> dict[str, str]:
    """The zip's course files as text; ``CourseZipError`` for the archive, for files that
    are not UTF-8 (``not_utf8``) and for names a draft cannot hold (``not_editable``)."""
    raw = read_course_zip(data)
    files, not_text = {}, []
    for name, content in raw.items():
        try:
            files[name] = content.decode("utf-8")
        except UnicodeDecodeError:
            not_text.append(name)
    if not_text:
        raise CourseZipError("not_utf8", "files are not UTF-8 text", tuple(sorted(not_text)))
    odd = sorted(name for name in files if not drafts.FILE_NAME.fullmatch(name))
    if odd:
        raise CourseZipError("not_editable", "files the browser editor cannot hold "
                             "(.quiz.yml files, names with other than ASCII letters)",
                             tuple(odd))
    return files


def _fingerprint(rows: list[DraftFile]) -> str:
    data = json.dumps([[row.name, row.revision, row.text] for row in rows], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def plan_import(session: Session, scope: Scope, registry: QuestionTypeRegistry,
                files: Mapping[str, str], expected_slug: str | None = None) -> ZipPlan:
    """Check the files and say what importing them would do; writes nothing."""
    drafts.check_files(files)
    slug, _ = drafts.slug_and_title(files)
    if expected_slug and slug != expected_slug:
        raise WrongCourse(slug, expected_slug)
    course = session.scalar(select(Course).where(Course.slug == slug))
    if course is None:
        return ZipPlan(slug, dict(files))
    if not allowed(scope, Action.AUTHOR_COURSE, course):
        raise NotYourCourse(slug)
    rows = drafts.files_of(session, course)
    current = {row.name: row.text for row in rows}
    replaced = tuple(sorted(n for n in files.keys() & current.keys() if files[n] != current[n]))
    added = tuple(sorted(files.keys() - current.keys()))
    removed = tuple(sorted(current.keys() - files.keys())) if rows else ()
    edited = bool(rows) and (replaced or added or removed) and _has_edits(
        session, course, current, registry)
    return ZipPlan(slug, dict(files), course, replaced, added, removed,
                   bool(edited), _fingerprint(rows))


def _has_edits(session: Session, course: Course, current: dict[str, str],
               registry: QuestionTypeRegistry) -> bool:
    """Does the draft hold anything the published version does not?"""
    if course.version_id is None:
        return True  # never published: the draft is the whole course
    try:
        return current != course_files(session, course, registry)
    except CourseWriteError:
        return True


@transactional
def replace_draft(session: Session, actor: User, course: Course,
                  files: Mapping[str, str]) -> None:
    """Make ``files`` the course's whole draft in one unit of work. A file kept by name
    keeps its row and goes up a revision when its text changed, so an editor still open on
    the old text gets a conflict on saving, not a silent overwrite of the import."""
    drafts.check_files(files)
    slug, _ = drafts.slug_and_title(files)
    if slug != course.slug:
        raise drafts.DraftRefused("slug_changed", "a draft cannot change the course's slug")
    rows = {row.name: row for row in session.scalars(
        select(DraftFile).where(DraftFile.course_id == course.id).with_for_update())}
    gone = sorted(rows.keys() - files.keys())
    if gone:
        session.execute(delete(DraftFile).where(DraftFile.course_id == course.id,
                                                DraftFile.name.in_(gone)))
    for name, text in files.items():
        row = rows.get(name)
        if row is None:
            session.add(DraftFile(course_id=course.id, name=name, text=text,
                                  updated_by_id=actor.id))
        elif row.text != text:
            row.text, row.revision, row.updated_by_id = text, row.revision + 1, actor.id
            row.updated_at = utcnow()
    session.flush()


@transactional
def import_files(session: Session, actor: User, plan: ZipPlan) -> Course:
    """Do what the plan says without asking: a new course, or the draft replaced."""
    if plan.course is None:
        return drafts.create_course(session, actor, plan.files)
    replace_draft(session, actor, plan.course, plan.files)
    return plan.course


@transactional
def stage(session: Session, actor: User, plan: ZipPlan) -> str:
    """Keep the files until the trainer confirms the replacement; return the token."""
    rows = [{"name": name, "text": text} for name, text in sorted(plan.files.items())]
    _, token = import_batches.stage(session, actor, KIND, rows, {
        "course_id": plan.course.id, "slug": plan.slug, "draft": plan.fingerprint,
        "replaced": list(plan.replaced), "added": list(plan.added),
        "removed": list(plan.removed)})
    return token


def staged(session: Session, actor: User, course: Course, token: str) -> ZipPlan | None:
    """The preview behind ``token`` (to show it again when the confirm box was not ticked),
    or None when it is unknown, someone else's, used or expired."""
    batch = session.scalar(select(ImportBatch).where(
        ImportBatch.token_hash == import_batches.token_hash(token or ""),
        ImportBatch.kind == KIND, ImportBatch.created_by_id == actor.id,
        ImportBatch.confirmed_at.is_(None)))
    if batch is None or utcnow() >= batch.expires_at or \
            batch.summary.get("course_id") != course.id:
        return None
    summary = batch.summary
    return ZipPlan(course.slug, {}, course, tuple(summary.get("replaced", ())),
                   tuple(summary.get("added", ())), tuple(summary.get("removed", ())),
                   needs_confirm=True)


@transactional
def confirm(session: Session, actor: User, course: Course, token: str) -> None:
    """Replace the draft with the staged files, once; refused if the draft changed since."""
    batch = import_batches.claim(session, actor, KIND, token)
    if batch.summary.get("course_id") != course.id:
        raise BatchRefused("unknown")
    if _fingerprint(drafts.files_of(session, course)) != batch.summary.get("draft"):
        raise DraftZipStale("the draft changed since the preview")
    files = {row["name"]: row["text"] for row in batch.rows}
    batch.rows = []  # the course's text is kept in the draft, not twice
    replace_draft(session, actor, course, files)
