"""Published courses as plain values, kept per process and keyed by the published version.

Every trainee request that names a course (pages, heartbeats) needs the course with its
modules and their question counts. Reading them as ORM rows cost a fifth of a module page;
here a request asks one small question instead (which version of this course is published?)
and takes the content from a dict. A publish gives the course a new version row and a new
``updated_at``, so every process sees the change on its next request without being told;
``updated_at`` is in the key as well because SQLite gives a rolled-back version's id to the
next one. Content changes only by publishing (lms.services.versioning): code that edits
course or module rows in place must publish, or pages keep showing what they had.

The views are read-only stand-ins for ``Course`` and ``Module`` on the trainee's read paths:
the same attribute names, no session, nothing lazy. Views that change content load ORM rows
(``catalog.get_course``); a path that writes or needs the questions turns a module view into
its row (``module_row``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from lms.db import fetch
from lms.models import Course, Module, Question
from lms.services.errors import NotFound

#: Each module's count of current questions, read with the modules, so a trainee's page needs
#: no query of its own to count them. The options are built once: every trainee request with
#: a course in its URL (heartbeats too) uses them.
_QUESTION_COUNT: ColumnElement[int] = (
    select(func.count()).where(Question.module_id == Module.id, Question.is_current)
    .correlate(Module).scalar_subquery())
MODULES_JOINED = joinedload(Course.modules).with_expression(Module.current_question_count,
                                                             _QUESTION_COUNT)
MODULES_SELECTED = selectinload(Course.modules).with_expression(Module.current_question_count,
                                                                 _QUESTION_COUNT)


#: Where a session finds its app's ``CourseViews`` (``LmsState`` puts it in the session info).
VIEWS_KEY = "lms_course_views"


@dataclass(frozen=True, eq=False)
class ModuleView:
    id: int
    course_id: int
    position: int
    slug: str
    title: str
    html: str
    minutes: int
    required: bool
    pass_mark: int | None
    min_minutes: int | None
    quiz_settings: dict[str, Any]
    revision: int
    current_question_count: int
    course: CourseView = field(repr=False)

    is_current = True  # a view is of the current version's modules only


@dataclass(frozen=True, eq=False)
class CourseView:
    id: int
    slug: str
    title: str
    description: str
    audience: str
    pass_mark: int
    published: bool
    rules: dict[str, Any] | None
    archived_at: datetime | None
    version_id: int | None
    updated_at: datetime
    modules: tuple[ModuleView, ...] = ()
    #: Pages' fragments rendered from this version, kept with it (lms.learn.outline).
    fragments: dict[tuple, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_row(cls, course: Course) -> CourseView:
        view = cls(id=course.id, slug=course.slug, title=course.title,
                   description=course.description, audience=course.audience,
                   pass_mark=course.pass_mark, published=course.published,
                   rules=dict(course.rules) if course.rules is not None else None,
                   archived_at=course.archived_at, version_id=course.version_id,
                   updated_at=course.updated_at)
        modules = tuple(_module_view(module, view) for module in course.modules)
        object.__setattr__(view, "modules", modules)  # each module points back at its course
        return view

    @property
    def key(self) -> tuple[int | None, datetime]:
        return self.version_id, self.updated_at


def _module_view(module: Module, course: CourseView) -> ModuleView:
    return ModuleView(id=module.id, course_id=module.course_id, position=module.position,
                      slug=module.slug, title=module.title, html=module.html,
                      minutes=module.minutes, required=module.required,
                      pass_mark=module.pass_mark, min_minutes=module.min_minutes,
                      quiz_settings=dict(module.quiz_settings), revision=module.revision,
                      current_question_count=module.current_question_count, course=course)


class CourseViews:
    """One app's course views by course id. Replacing an entry is one dict assignment, so
    threads need no lock: two that miss at once both read, and either result is right."""

    def __init__(self) -> None:
        self._by_id: dict[int, CourseView] = {}

    def clear(self) -> None:
        self._by_id.clear()

    def get(self, course_id: int, key: tuple[int | None, datetime]) -> CourseView | None:
        view = self._by_id.get(course_id)
        return view if view is not None and view.key == key else None

    def keep(self, view: CourseView) -> CourseView:
        self._by_id[view.id] = view
        return view


def _views(session: Session) -> CourseViews:
    return session.info.get(VIEWS_KEY) or CourseViews()  # a host's own session: no keeping


_ASKED_KEY = "lms_course_views_asked"
#: Statements built once (with their cache keys): every trainee request runs one.
_PUBLISHED = select(Course.id, Course.version_id, Course.updated_at).where(Course.published)
_PUBLISHED_BY_SLUG = _PUBLISHED.where(Course.slug == bindparam("slug"))
_PUBLISHED_BY_TITLE = _PUBLISHED.order_by(Course.title)


def published_course(session: Session, slug: str) -> CourseView:
    """The published course named ``slug``, with its current modules and question counts.

    Asked once per transaction: the trainee's access check and the view after it share the
    answer, and a commit in between (a first visit) makes the next call ask again."""
    asked = session.info.setdefault(_ASKED_KEY, {})
    known = asked.get(slug)
    if known is not None and known[0] is session.get_transaction():
        return known[1]
    row = fetch(session, _PUBLISHED_BY_SLUG, {"slug": slug}).first()
    if row is None:
        raise NotFound(f"no course {slug!r}")
    views = _views(session)
    view = views.get(row.id, (row.version_id, row.updated_at))
    if view is None:
        # Published asked again: on PostgreSQL this is a later snapshot than the one above.
        course = session.execute(select(Course).where(Course.id == row.id, Course.published)
                                 .options(MODULES_JOINED)).unique().scalar_one_or_none()
        if course is None:
            raise NotFound(f"no course {slug!r}")
        view = views.keep(CourseView.from_row(course))
    asked[slug] = (session.get_transaction(), view)
    return view


def published_courses(session: Session) -> list[CourseView]:
    """Every published course by title, the ones not kept yet read in one query."""
    rows = fetch(session, _PUBLISHED_BY_TITLE).all()
    views = _views(session)
    found = {row.id: views.get(row.id, (row.version_id, row.updated_at)) for row in rows}
    missing = [course_id for course_id, view in found.items() if view is None]
    if missing:
        for course in session.scalars(select(Course).where(Course.id.in_(missing),
                                                           Course.published)
                                      .options(MODULES_SELECTED)):
            found[course.id] = views.keep(CourseView.from_row(course))
    return [found[row.id] for row in rows if found[row.id] is not None]


def module_row(session: Session, module: Module | ModuleView) -> Module:
    """The row behind a module view, for a path that writes or reads the questions."""
    return module if isinstance(module, Module) else session.get_one(Module, module.id)


def module_of(course: Course | CourseView, module_slug: str) -> Module | ModuleView:
    """One of the course's current modules, from its loaded list (no query of its own)."""
    module = next((m for m in course.modules if m.slug == module_slug), None)
    if module is None:
        raise NotFound(f"no module {module_slug!r} in course {course.slug!r}")
    return module
