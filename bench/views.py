"""The views ``make bench`` times: each dashboard view's service call, as its page makes it.

Every entry is (name, callable(session, ctx)); ``ctx`` holds what a page would already know
(the course, the admin's top units, one 党委, one 支部, one trainee, today). Add a view here
when the dashboard gains one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from lms.models import Course, Enrollment, OrgUnit, OrgUnitKind, User
from lms.services import progress, stats_people, stats_queries
from lms.services.course_views import published_courses
from lms.services.org import ancestor_ids
from lms.services.people_list import list_people
from lms.services.permissions import EVERYTHING


@dataclass(frozen=True)
class Context:
    course: Course
    roots: list[OrgUnit]
    committee: OrgUnit
    branch: OrgUnit
    trainee: User
    today: date

    @property
    def paths(self) -> list[str]:
        return [unit.path for unit in self.roots]


def context(session: Session, course_slug: str) -> Context:
    """Pick the units and the person the views look at: the largest 党委 and 支部."""
    course = session.scalar(select(Course).where(Course.slug == course_slug)
                            .options(selectinload(Course.modules)))
    if course is None:
        raise SystemExit(f"no course {course_slug!r} in the benchmark database")
    roots = stats_queries.root_units(session, EVERYTHING)
    units = {u.id: u for u in session.scalars(select(OrgUnit))}
    subtree: dict[int, int] = {}
    for unit_id, count in session.execute(select(User.org_unit_id, func.count())
                                          .group_by(User.org_unit_id)):
        unit = units.get(unit_id)
        for ancestor in ancestor_ids(unit.path) if unit is not None else ():
            subtree[ancestor] = subtree.get(ancestor, 0) + count

    def people(unit: OrgUnit) -> int:
        return subtree.get(unit.id, 0)

    committee = max(roots, key=people)
    branch = max((u for u in units.values() if u.kind is OrgUnitKind.BRANCH), key=people)
    trainee = session.scalar(select(User).join(Enrollment, Enrollment.user_id == User.id)
                             .where(Enrollment.course_id == course.id).limit(1))
    return Context(course, roots, committee, branch, trainee, date.today())


def _drill_down(session: Session, ctx: Context) -> Any:
    level = stats_queries.children(session, ctx.committee)
    return stats_queries.breakdown(session, ctx.course.id, level, ctx.committee, ctx.today)


def _trainee_home(session: Session, ctx: Context) -> Any:
    user = session.get(User, ctx.trainee.id)
    return progress.course_outlines(session, user, published_courses(session))


VIEWS: list[tuple[str, Callable[[Session, Context], Any]]] = [
    ("courses overview", lambda s, c: stats_queries.course_totals(s, c.paths, c.today)),
    ("units: top level", lambda s, c: stats_queries.breakdown(s, c.course.id, c.roots, None,
                                                              c.today)),
    ("units: one 党委", _drill_down),
    ("module funnel", lambda s, c: stats_queries.module_funnel(s, c.course, c.paths)),
    ("score distribution", lambda s, c: stats_queries.score_distribution(s, c.course, c.paths)),
    ("weekly completions (12 wk)", lambda s, c: stats_queries.weekly_completions(
        s, c.course.id, c.paths, c.today - timedelta(weeks=12), c.today)),
    ("50 least complete units", lambda s, c: stats_queries.least_complete_units(
        s, c.course.id, c.paths, c.today)),
    ("overdue people, page 1", lambda s, c: stats_people.page(
        s, c.course, stats_people.overdue_query(c.course.id, c.paths, c.today), c.today,
        number=1, size=50)),
    ("people of one 支部", lambda s, c: stats_people.page(
        s, c.course, stats_people.unit_query(c.course.id, c.branch.id), c.today,
        number=1, size=50)),
    ("people list, page 1", lambda s, c: list_people(s, EVERYTHING, page=1)),
    ("people list, search", lambda s, c: list_people(s, EVERYTHING, query="伟", page=1)),
    ("trainee home", _trainee_home),
]
