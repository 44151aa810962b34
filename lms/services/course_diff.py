"""What changed between two versions of a course, or two revisions of a module, in words
a trainer can read: the Markdown line by line, the settings, the questions by prompt.

Everything here is plain values; the page escapes every text it shows (a line of a module
is the author's text, never markup to render).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lms.models import Course, CourseVersion, Module, ModuleRevision, ModuleRevisionQuestion
from lms.services.errors import NotFound

#: Unchanged lines kept around each change; longer unchanged runs are folded.
CONTEXT = 2
#: Lines longer than this are compared whole, without marking the changed characters.
INLINE_LIMIT = 3000
QUESTION_FIELDS = ("type", "prompt", "options", "answer_key", "explanation", "points", "cite",
                   "details")
MODULE_FIELDS = ("title", "minutes", "min_minutes", "required", "pass_mark")
COURSE_FIELDS = ("title", "description", "audience", "pass_mark", "rules")


@dataclass(frozen=True)
class Line:
    """``kind`` is ``same``, ``added``, ``removed`` or ``skip`` (``count`` folded lines);
    ``parts`` is the text as (changed, text) pieces."""

    kind: str
    old: int | None = None
    new: int | None = None
    parts: tuple[tuple[bool, str], ...] = ()
    count: int = 0


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: Any
    after: Any


@dataclass(frozen=True)
class QuestionChange:
    """``kind``: ``added``, ``removed`` or ``changed`` (``fields`` names what changed)."""

    kind: str
    prompt: str
    old_prompt: str | None = None
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModuleDiff:
    """``kind``: ``added``, ``removed``, ``changed`` or ``same``."""

    slug: str
    title: str
    kind: str
    old_number: int | None
    new_number: int | None
    fields: list[FieldChange] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    questions: list[QuestionChange] = field(default_factory=list)


@dataclass(frozen=True)
class CourseDiff:
    old_number: int | None
    new_number: int
    fields: list[FieldChange]
    modules: list[ModuleDiff]
    reordered: bool


def line_diff(before: str, after: str) -> list[Line]:
    """The lines that differ with a little context, unchanged runs folded."""
    old, new = before.splitlines(), after.splitlines()
    if old == new:
        return []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    lines: list[Line] = []
    shown = 0  # old lines accounted for
    for group in matcher.get_grouped_opcodes(CONTEXT):
        if group[0][1] > shown:
            lines.append(Line("skip", count=group[0][1] - shown))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [Line("same", i + 1, j1 + k + 1, ((False, old[i]),))
                          for k, i in enumerate(range(i1, i2))]
                continue
            removed, added = old[i1:i2], new[j1:j2]
            # A replaced run pairs its lines in order (the extra ones, if any, stand alone).
            marked = dict(enumerate(_inline(a, b) for a, b in zip(removed, added, strict=False)
                                    if tag == "replace"))
            lines += [Line("removed", old=i1 + k + 1,
                           parts=marked[k][0] if k in marked else ((True, text),))
                      for k, text in enumerate(removed)]
            lines += [Line("added", new=j1 + k + 1,
                           parts=marked[k][1] if k in marked else ((True, text),))
                      for k, text in enumerate(added)]
        shown = group[-1][2]
    if shown < len(old):
        lines.append(Line("skip", count=len(old) - shown))
    return lines


def _inline(a: str, b: str) -> tuple[tuple[tuple[bool, str], ...], tuple[tuple[bool, str], ...]]:
    """A changed line's characters marked, old and new: what a reader's eye looks for in a
    long paragraph where one phrase changed. Whole lines when they share little."""
    if len(a) > INLINE_LIMIT or len(b) > INLINE_LIMIT:
        return ((True, a),), ((True, b),)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < 0.4:
        return ((True, a),), ((True, b),)
    old: list[tuple[bool, str]] = []
    new: list[tuple[bool, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 > i1:
            old.append((tag != "equal", a[i1:i2]))
        if j2 > j1:
            new.append((tag != "equal", b[j1:j2]))
    return tuple(old), tuple(new)


def _fields(old: Any, new: Any, names: tuple[str, ...]) -> list[FieldChange]:
    if old is None:
        return []
    return [FieldChange(name, getattr(old, name), getattr(new, name)) for name in names
            if getattr(old, name) != getattr(new, name)]


def _questions(old: ModuleRevision | None, new: ModuleRevision | None) -> list[QuestionChange]:
    before = {q.revision.question_id: q.revision for q in old.questions} if old else {}
    after = {q.revision.question_id: q.revision for q in new.questions} if new else {}
    changes = []
    for question_id, revision in after.items():
        was = before.get(question_id)
        if was is None:
            changes.append(QuestionChange("added", revision.prompt))
        elif was.id != revision.id:
            changed = tuple(name for name in QUESTION_FIELDS
                            if getattr(was, name) != getattr(revision, name))
            changes.append(QuestionChange(
                "changed", revision.prompt,
                was.prompt if was.prompt != revision.prompt else None, changed))
    changes += [QuestionChange("removed", revision.prompt)
                for question_id, revision in before.items() if question_id not in after]
    return changes


def module_diff(old: ModuleRevision | None, new: ModuleRevision | None) -> ModuleDiff:
    """Two revisions of one module (None: the module is not in that one)."""
    either = new or old
    assert either is not None
    kind = ("added" if old is None else "removed" if new is None
            else "same" if old.id == new.id else "changed")
    if kind == "same":
        return ModuleDiff(either.module.slug, either.title, kind, old.number, new.number)
    fields = _fields(old, new, MODULE_FIELDS) if old and new else []
    if old and new and (old.quiz_settings or {}) != (new.quiz_settings or {}):
        settings_before, settings_after = old.quiz_settings or {}, new.quiz_settings or {}
        fields += [FieldChange(f"quiz.{key}", settings_before.get(key), settings_after.get(key))
                   for key in sorted(settings_before.keys() | settings_after.keys())
                   if settings_before.get(key) != settings_after.get(key)]
    return ModuleDiff(
        either.module.slug, either.title, kind, old.number if old else None,
        new.number if new else None, fields,
        line_diff(old.source if old else "", new.source if new else ""), _questions(old, new))


def course_diff(old: CourseVersion | None, new: CourseVersion) -> CourseDiff:
    """Module by module, in the newer version's order, then the modules it dropped."""
    before = {entry.revision.module_id: entry.revision for entry in old.modules} if old else {}
    after = {entry.revision.module_id: entry.revision for entry in new.modules}
    modules = [module_diff(before.get(module_id), revision)
               for module_id, revision in after.items()]
    modules += [module_diff(revision, None)
                for module_id, revision in before.items() if module_id not in after]
    kept_before = [m for m in before if m in after]
    kept_after = [m for m in after if m in before]
    return CourseDiff(old.number if old else None, new.number,
                      _fields(old, new, COURSE_FIELDS), modules, kept_before != kept_after)


def module_revisions(session: Session, course: Course, slug: str) -> tuple[Module, list[Any]]:
    """The module (current or dropped) and its revisions' (number, created_at, title),
    newest first."""
    module = session.scalar(select(Module).where(Module.course_id == course.id,
                                                 Module.slug == slug))
    if module is None:
        raise NotFound(f"no module {slug!r} in course {course.slug!r}")
    rows = session.execute(select(ModuleRevision.number, ModuleRevision.created_at,
                                  ModuleRevision.title)
                           .where(ModuleRevision.module_id == module.id)
                           .order_by(ModuleRevision.number.desc())).all()
    return module, list(rows)


def load_revisions(session: Session, module: Module,
                   numbers: list[int]) -> dict[int, ModuleRevision]:
    """These revisions of the module with their questions; unknown numbers: ``NotFound``."""
    found = {revision.number: revision for revision in session.scalars(
        select(ModuleRevision)
        .where(ModuleRevision.module_id == module.id, ModuleRevision.number.in_(numbers))
        .options(selectinload(ModuleRevision.module),
                 selectinload(ModuleRevision.questions)
                 .selectinload(ModuleRevisionQuestion.revision)))}
    missing = sorted(set(numbers) - found.keys())
    if missing:
        raise NotFound(f"no revision {missing[0]} of module {module.slug!r}")
    return found
