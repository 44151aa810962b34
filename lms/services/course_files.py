"""Courses as files: export a course's current version, import or preview course files.

Web edits and file edits meet in the same versions: an import goes through
``catalog.upsert_course`` exactly as ``flask lms load-courses`` does, and ``preview_load``
says what loading would replace (modules and questions added, changed, removed; the version
number it would make) without writing anything, by the rules ``upsert_course`` follows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from lms.content.course_writer import write_course
from lms.content.course_zip import read_course_zip, zip_course
from lms.content.loader import CourseFile, read_course
from lms.models import Course, CourseVersion, Module, Question
from lms.plugins import QuestionTypeRegistry
from lms.services import catalog
from lms.services.course_content import CourseContent, content_from_files, content_from_rows
from lms.services.errors import InvalidInput, NotFound
from lms.services.versioning import VersionChanges


@dataclass(frozen=True)
class CourseLoad:
    """What loading a course's files did, or would do with ``dry_run``."""

    slug: str
    modules: int
    created: bool
    #: A new version was (would be) published.
    changed: bool
    version: int | None = None
    changes: VersionChanges | None = None
    dry_run: bool = False
    #: ``path:line: message`` per question whose cite is not in its module's text (loaded
    #: all the same; the question is listed as needing review).
    warnings: tuple[str, ...] = ()


def find_course(session: Session, slug: str) -> Course:
    """Any course by slug, drafts and unpublished ones included (authors export those too)."""
    course = session.scalar(select(Course).where(Course.slug == slug))
    if course is None:
        raise NotFound(f"no course {slug!r}")
    return course


def course_files(session: Session, course: Course,
                 registry: QuestionTypeRegistry) -> dict[str, str]:
    """The current version as course files (``course.yml``, ``NN-slug.md``), read in two
    queries whatever the number of modules and questions."""
    loaded = session.scalar(
        select(Course).where(Course.id == course.id)
        .options(selectinload(Course.modules).selectinload(Module.questions))
        .execution_options(populate_existing=True))
    return write_course(loaded.slug, content_from_rows(loaded), registry,
                        published=loaded.published)


def export_course_zip(session: Session, course: Course,
                      registry: QuestionTypeRegistry) -> tuple[str, bytes]:
    """``(file name, zip bytes)``; the same content always gives the same bytes."""
    return f"{course.slug}.zip", zip_course(course_files(session, course, registry),
                                            course.slug)


def read_course_archive(data: bytes, registry: QuestionTypeRegistry,
                        default_pass_mark: int = 60) -> CourseFile:
    """Validate an uploaded zip: ``CourseZipError`` for the archive, ``CourseInvalid`` (each
    problem as ``name:line: message``) for its files."""
    return read_course(read_course_zip(data), registry, default_pass_mark)


def load_course_file(session: Session, course_file: CourseFile, *, dry_run: bool = False,
                     actor_id: int | None = None, slug: str | None = None) -> CourseLoad:
    """Publish the files as the course's new version (creating the course if new), or with
    ``dry_run`` only say what that would do. ``slug``: the course the files must be for."""
    if slug is not None and course_file.slug != slug:
        raise InvalidInput(f"the files are for course {course_file.slug!r}, not {slug!r}",
                           field="file")
    warnings = tuple(str(warning) for warning in course_file.warnings)
    if dry_run:
        return replace(preview_load(session, course_file), warnings=warnings)
    result = catalog.upsert_course(session, course_file, actor_id=actor_id)
    return CourseLoad(course_file.slug, len(course_file.modules), result.created,
                      result.changed, result.version, result.changes, warnings=warnings)


def import_course_zip(session: Session, registry: QuestionTypeRegistry, data: bytes, *,
                      default_pass_mark: int = 60, dry_run: bool = False,
                      actor_id: int | None = None, slug: str | None = None) -> CourseLoad:
    """Import an exported (or hand-made) course zip as a new version, or preview it."""
    course_file = read_course_archive(data, registry, default_pass_mark)
    return load_course_file(session, course_file, dry_run=dry_run, actor_id=actor_id,
                            slug=slug)


def preview_load(session: Session, course_file: CourseFile) -> CourseLoad:
    """What ``catalog.upsert_course`` would publish for these files; writes nothing."""
    count = len(course_file.modules)
    course = session.scalar(
        select(Course).where(Course.slug == course_file.slug)
        .options(selectinload(Course.modules).selectinload(Module.questions))
        .execution_options(populate_existing=True))
    new_bank = {} if course is None else catalog.kept_bank_questions(course, course_file)
    new = content_from_files(course_file, new_bank)
    if course is None or course.version_id is None:
        return CourseLoad(course_file.slug, count, course is None, True, 1,
                          _changes(None, new, {}), dry_run=True)
    unchanged = CourseLoad(course_file.slug, count, False, False, dry_run=True)
    if course.content_hash == course_file.content_hash:
        return unchanged
    current = content_from_rows(course)
    if new.digest == session.scalar(select(CourseVersion.content_hash)
                                    .where(CourseVersion.id == course.version_id)):
        return unchanged
    file_keys = set(session.scalars(select(Question.key).where(
        Question.course_id == course.id, Question.origin == "file")))
    number = session.scalar(select(func.max(CourseVersion.number))
                            .where(CourseVersion.course_id == course.id)) or 0
    return CourseLoad(course_file.slug, count, False, True, number + 1,
                      _changes(current, new, catalog.identity_renames(file_keys, course_file)),
                      dry_run=True)


def _changes(old: CourseContent | None, new: CourseContent,
             renames: dict[str, str]) -> VersionChanges:
    """As ``versioning.publish`` reports them: a module or question changed when its content
    hash did (publish reuses a revision only for the same hash)."""
    old_modules = {m.slug: m.digest for m in old.modules} if old else {}
    new_modules = {m.slug: m.digest for m in new.modules}
    old_questions = {renames.get(q.key, q.key): q.digest
                     for m in (old.modules if old else ()) for q in m.questions}
    new_questions = {q.key: q.digest for m in new.modules for q in m.questions}
    kept_before = [m.slug for m in (old.modules if old else ()) if m.slug in new_modules]
    kept_after = [m.slug for m in new.modules if m.slug in old_modules]
    return VersionChanges(
        details_changed=old is not None and _details(old) != _details(new),
        modules_added=tuple(sorted(new_modules.keys() - old_modules.keys())),
        modules_changed=tuple(sorted(s for s in new_modules.keys() & old_modules.keys()
                                     if new_modules[s] != old_modules[s])),
        modules_removed=tuple(sorted(old_modules.keys() - new_modules.keys())),
        modules_reordered=kept_before != kept_after,
        questions_added=tuple(sorted(new_questions.keys() - old_questions.keys())),
        questions_revised=tuple(sorted(k for k in new_questions.keys() & old_questions.keys()
                                       if new_questions[k] != old_questions[k])),
        questions_removed=tuple(sorted(old_questions.keys() - new_questions.keys())),
    )


def _details(content: CourseContent) -> tuple:
    return content.title, content.description, content.audience, content.pass_mark
