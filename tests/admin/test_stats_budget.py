"""The dashboard's pages cost the same number of queries with 8 people or 28 in more units."""

from __future__ import annotations

from datetime import timedelta

from lms.models import User
from lms.services import stats_rebuild
from tests.admin.stats_world import (
    B1,
    B3,
    G1,
    ROOT,
    _assign,
    _quiz,
    _visit,
    sign_in_english,
)

#: Statements per page for a site admin (no unit of their own), as measured plus two: a
#: branch page takes 18 (user, grants, course, unit, children, 2 for the breakdown, modules,
#: funnel, score bins, weeks, least complete units and their names, then the page of people,
#: their progress, their overrides and their units' names, and the breadcrumb's names).
BUDGET = 20


def grow(app, db, make_user, world) -> None:
    """Twenty more people in four new branches and the old ones, some overdue, some done."""
    course = world.course
    for number in range(20):
        branch = [f"{G1}/新支部{number % 2}", f"{ROOT}/第三党总支/新支部{number % 2}", B1,
                  B3][number % 4]
        user, _ = make_user("trainee", unit=branch, username=f"grow-{number}",
                            name=f"新学员{number:02d}")
        user = db.get(User, user.id)
        if number % 3 == 0:
            _quiz(app, db, user, course, 100)
            _visit(db, user, course, 1)
        elif number % 3 == 1:
            _quiz(app, db, user, course, 50)
        if number % 2:
            _assign(db, user, course, world.today - timedelta(days=number + 1))
    stats_rebuild.rebuild(db)


def pages(world) -> dict[str, str]:
    units, people = world.units, world.people
    return {
        "courses": "/admin/stats",
        "course": "/admin/stats/demo",
        "committee": f"/admin/stats/demo/units/{units[ROOT]}",
        "general branch": f"/admin/stats/demo/units/{units[G1]}",
        "branch": f"/admin/stats/demo/units/{units[B1]}",
        "overdue": "/admin/stats/demo/overdue",
        "person": f"/admin/stats/demo/units/{units[B1]}/people/{people['p1']}",
    }


def test_dashboard_pages_do_not_query_per_unit_or_person(app, db, client, make_user,
                                                         count_queries, stats_world):
    sign_in_english(client, "stats-site-admin", stats_world.password)
    before = {}
    for name, url in pages(stats_world).items():
        _, recorded = count_queries(url)
        assert recorded.writes == [], (name, recorded.report())
        assert len(recorded) <= BUDGET, (name, recorded.report())
        before[name] = recorded
    grow(app, db, make_user, stats_world)
    for name, url in pages(stats_world).items():
        response, recorded = count_queries(url)
        assert len(recorded) == len(before[name]), (
            name, f"before:\n{before[name].report()}\nafter:\n{recorded.report()}")
        if name in ("branch", "overdue"):
            assert "新学员" in response.get_data(as_text=True)  # the lists did grow
