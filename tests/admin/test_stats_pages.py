"""The statistics dashboard over HTTP: every figure on every page of a hand-built 党委."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from lms.models import Course
from lms.unit_of_work import unit_of_work
from tests.admin.stats_html import page_of
from tests.admin.stats_world import (
    ALL,
    B1,
    B1_FIGURES,
    B2,
    B2_FIGURES,
    B3,
    FORMULA_NAME,
    FUNNEL_ALL,
    FUNNEL_G1,
    G1,
    G1_FIGURES,
    G1_OWN,
    G2,
    G2_FIGURES,
    LEAST_ALL,
    REASON,
    ROOT,
    SCORES_ALL,
    sign_in_english,
)

FIGURES = ["learners", "assigned", "started", "completed", "overdue", "completion_percent",
           "average_score"]


def shown(values, columns=FIGURES) -> dict[str, str]:
    """The figures as the page prints them: 37.5%, 70.0, — for nothing."""
    out = {}
    for column, value in zip(columns, values, strict=False):
        if value is None:
            out[column] = "—"
        elif column == "completion_percent":
            out[column] = f"{value:.1f}%"
        elif column in ("average_score", "best_score"):
            out[column] = f"{value:.1f}"
        else:
            out[column] = str(value)
    return out


def units_of(page) -> dict[str, dict[str, str]]:
    return {(row["unit"], row["members"]): {k: row[k] for k in FIGURES}
            for row in page.rows("table-units")}


@pytest.fixture
def admin(client, stats_world):
    sign_in_english(client, "stats-site-admin", stats_world.password)
    return stats_world


def get(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return page_of(response) if status in (200, 400) else None


def test_the_course_list_gives_each_course_its_figures(client, admin):
    page = get(client, "/admin/stats")
    courses = page.by_first("table-courses", "slug")
    demo = courses["demo"]
    assert {k: demo[k] for k in FIGURES} == shown(ALL)
    assert demo["published"] == "Yes"
    untouched = courses["assess"]
    assert {k: untouched[k] for k in FIGURES} == shown([0, 0, 0, 0, 0, None, None])
    assert "/admin/stats/demo" in page.links["table-courses"][
        page.column("table-courses", "slug").index("demo")]


def test_the_course_page_starts_at_the_committee(client, admin):
    page = get(client, "/admin/stats/demo")
    assert page.figures == shown(ALL)
    assert units_of(page) == {(ROOT, "With sub-units"): shown(ALL)}
    assert page.links["table-units"] == [f"/admin/stats/demo/units/{admin.units[ROOT]}"]
    funnel = page.by_first("table-funnel", "module")
    assert {module: [row[k] for k in ("opened", "attempted", "passed", "average_score")]
            for module, row in funnel.items()} == {
        module: list(shown(values, ["opened", "attempted", "passed", "average_score"]).values())
        for module, values in FUNNEL_ALL.items()}
    assert [int(n) for n in page.column("table-scores", "people")] == SCORES_ALL
    assert page.column("table-scores", "score_range")[-1] == "90–100"
    least = page.rows("table-least")
    assert [row["unit"] for row in least] == [path for path, _ in LEAST_ALL]
    assert [{k: row[k] for k in FIGURES[:6]} for row in least] == [
        shown(values) for _, values in LEAST_ALL]
    assert "Overdue people (2)" in page.html


def test_weekly_completions_default_to_twelve_weeks_ending_this_week(client, admin):
    weeks = get(client, "/admin/stats/demo").rows("table-weekly")
    monday = admin.today - timedelta(days=admin.today.weekday())
    assert len(weeks) == 12
    assert weeks[-1] == {"week_start": monday.isoformat(), "completed": "3"}
    assert [row["completed"] for row in weeks[:-1]] == ["0"] * 11
    assert weeks[0]["week_start"] == (monday - timedelta(weeks=11)).isoformat()


def test_a_chosen_range_and_bad_dates(client, admin):
    monday = admin.today - timedelta(days=admin.today.weekday())
    start = (monday - timedelta(weeks=2)).isoformat()
    page = get(client, f"/admin/stats/demo?from={start}&to={admin.today.isoformat()}")
    assert [row["completed"] for row in page.rows("table-weekly")] == ["0", "0", "3"]
    for query, message in [("from=2024-13-01", "Enter dates as YYYY-MM-DD."),
                           ("from=2025-02-01&to=2025-01-01", "The start date must not be after"),
                           ("from=2000-01-01&to=2024-01-01", "at most five years")]:
        page = get(client, f"/admin/stats/demo?{query}", status=400)
        assert message in page.html
        assert 'aria-invalid="true"' in page.html
        assert len(page.rows("table-weekly")) == 12  # the default range is shown instead


def test_drilling_down_from_the_committee_to_a_branch(client, admin):
    units = admin.units
    committee = get(client, f"/admin/stats/demo/units/{units[ROOT]}")
    assert committee.figures == shown(ALL)
    assert units_of(committee) == {("第一党总支", "With sub-units"): shown(G1_FIGURES),
                                   ("第二党总支", "With sub-units"): shown(G2_FIGURES)}
    assert "table-people" not in committee.tables  # nobody directly in the 党委
    assert "No one directly in this unit holds the course." in committee.html

    general = get(client, f"/admin/stats/demo/units/{units[G1]}")
    assert general.figures == shown(G1_FIGURES)
    assert units_of(general) == {("第一党支部", "With sub-units"): shown(B1_FIGURES),
                                 ("第二党支部", "With sub-units"): shown(B2_FIGURES),
                                 ("第一党总支", "Directly in this unit"): shown(G1_OWN)}
    assert general.links["table-units"] == [f"/admin/stats/demo/units/{units[B1]}",
                                            f"/admin/stats/demo/units/{units[B2]}", None]
    funnel = general.by_first("table-funnel", "module")
    assert [funnel["第一节"][k] for k in ("opened", "attempted", "passed", "average_score")] \
        == list(shown(FUNNEL_G1["第一节"], ["o", "a", "p", "average_score"]).values())
    own = general.by_first("table-people", "username")
    assert own["stats-p6"]["status"] == "Completed"
    assert own["stats-p6"]["modules_completed"] == "2"
    assert own["stats-p6"]["overridden"] == "Yes"

    other = get(client, f"/admin/stats/demo/units/{units[G2]}")
    assert units_of(other) == {("第三党支部", "With sub-units"): shown(G2_FIGURES)}
    assert other.figures == shown(G2_FIGURES)


def test_a_branch_lists_its_people_with_their_status(client, admin):
    page = get(client, f"/admin/stats/demo/units/{admin.units[B1]}")
    assert page.figures == shown(B1_FIGURES)
    assert units_of(page) == {("第一党支部", "Directly in this unit"): shown(B1_FIGURES)}
    people = page.by_first("table-people", "username")
    columns = ["status", "modules_completed", "modules_total", "average_score", "due_on",
               "overridden", "deactivated"]
    due = (admin.today - timedelta(days=3)).isoformat()
    assert {user: [row[k] for k in columns] for user, row in people.items()} == {
        "stats-p1": ["Completed", "2", "2", "100.0", due, "No", "No"],
        "stats-p2": ["In progress", "1", "2", "—", "—", "No", "No"],
        "stats-p3": ["In progress", "0", "2", "25.0", "—", "No", "No"],
    }
    assert people["stats-p1"]["completed_at"].startswith(admin.today.isoformat()[:4])
    assert people["stats-p2"]["name"] == FORMULA_NAME
    assert "people/" in page.links["table-people"][0]


def test_moved_and_deactivated_people_count_where_they_are_now(client, admin):
    moved_to = get(client, f"/admin/stats/demo/units/{admin.units[B3]}")
    people = moved_to.by_first("table-people", "username")
    assert people["stats-p4"]["status"] == "Completed"   # completed in B2, then moved
    assert people["stats-p7"]["status"] == "Overdue"
    assert people["stats-p8"]["status"] == "Overdue"
    assert people["stats-p8"]["average_score"] == "75.0"
    left = get(client, f"/admin/stats/demo/units/{admin.units[B2]}")
    assert left.figures == shown(B2_FIGURES)
    row = left.by_first("table-people", "username")
    assert list(row) == ["stats-p5"]
    assert row["stats-p5"]["deactivated"] == "Yes"
    assert "Deactivated" in row["stats-p5"]["name"]  # marked next to the name too


def test_the_overdue_list(client, admin):
    page = get(client, "/admin/stats/demo/overdue")
    rows = page.rows("table-overdue")
    assert [row["username"] for row in rows] == ["stats-p7", "stats-p8"]  # earliest due first
    assert [row["days_overdue"] for row in rows] == ["10", "5"]
    assert [row["unit"] for row in rows] == [B3, B3]
    assert [row["modules_completed"] for row in rows] == ["0", "0"]
    assert "2 people" in page.html
    assert page.links["table-overdue"][0] == (
        f"/admin/stats/demo/units/{admin.units[B3]}/people/{admin.people['p7']}")
    assert get(client, f"/admin/stats/demo/overdue?unit={admin.units[G1]}").rows(
        "table-overdue") == []
    assert len(get(client, f"/admin/stats/demo/overdue?unit={admin.units[G2]}").rows(
        "table-overdue")) == 2


def test_a_person_and_their_modules(client, admin):
    units, people = admin.units, admin.people
    page = get(client, f"/admin/stats/demo/units/{units[B1]}/people/{people['p3']}")
    assert page.figures["status"] == "In progress"
    assert page.figures["modules_completed"] == "0 / 2"
    assert page.figures["average_score"] == "25.0"
    modules = page.by_first("table-modules", "module")
    assert [modules["第一节"][k] for k in ("status", "best_score", "attempts")] == [
        "In progress", "25.0", "1"]
    assert [modules["第二节"][k] for k in ("status", "best_score", "attempts")] == [
        "Not started", "—", "0"]

    overridden = get(client, f"/admin/stats/demo/units/{units[ROOT]}/people/{people['p6']}")
    assert REASON in overridden.html
    assert overridden.figures["status"] == "Completed"
    assert [row["status"] for row in overridden.rows("table-modules")] == ["Completed"] * 2

    deactivated = get(client, f"/admin/stats/demo/units/{units[G1]}/people/{people['p5']}")
    assert "Deactivated" in deactivated.html
    # Someone outside the unit in the URL is not found there.
    get(client, f"/admin/stats/demo/units/{units[B1]}/people/{people['p7']}", status=404)
    get(client, f"/admin/stats/demo/units/{units[B1]}/people/999999", status=404)


def test_unknown_courses_and_units_are_not_found(client, admin):
    for url in ["/admin/stats/no-such-course", f"/admin/stats/no-such/units/{admin.units[B1]}",
                "/admin/stats/demo/units/999999", "/admin/stats/demo/units/99999999999",
                "/admin/stats/demo/overdue?unit=999999", "/admin/stats/demo/nothing.csv",
                "/admin/stats/demo/units.pdf"]:
        assert client.get(url).status_code == 404, url


def test_an_unpublished_course_is_still_reported(client, db, admin):
    with unit_of_work(db):
        db.get(Course, admin.course.id).published = False
    page = get(client, "/admin/stats/demo")
    assert page.figures == shown(ALL)
    assert "not published" in page.html
    demo = get(client, "/admin/stats").by_first("table-courses", "slug")["demo"]
    assert demo["published"] == "No"
    assert {k: demo[k] for k in FIGURES} == shown(ALL)


def test_a_unit_admin_sees_only_their_subtree(client, make_user, grant, stats_world):
    world, units = stats_world, stats_world.units
    user, password = make_user("trainee", unit=B1, username="stats-g1-admin")
    grant(user, unit=G1)
    sign_in_english(client, "stats-g1-admin", password)

    courses = get(client, "/admin/stats").by_first("table-courses", "slug")
    assert {k: courses["demo"][k] for k in FIGURES} == shown(G1_FIGURES)
    start = get(client, "/admin/stats/demo")
    assert start.figures == shown(G1_FIGURES)
    assert units_of(start) == {("第一党总支", "With sub-units"): shown(G1_FIGURES)}
    assert [row["unit"] for row in start.rows("table-least")] == [B2, B1, G1]
    assert get(client, f"/admin/stats/demo/units/{units[B1]}").figures == shown(B1_FIGURES)
    assert get(client, "/admin/stats/demo/overdue").rows("table-overdue") == []

    for url in [f"/admin/stats/demo/units/{units[ROOT]}", f"/admin/stats/demo/units/{units[G2]}",
                f"/admin/stats/demo/units/{units[B3]}",
                f"/admin/stats/demo/overdue?unit={units[G2]}",
                f"/admin/stats/demo/units/{units[B3]}/people/{world.people['p7']}",
                f"/admin/stats/demo/units/{units[G2]}/units.xlsx",
                f"/admin/stats/demo/units/{units[G2]}/people.csv",
                f"/admin/stats/demo/units/{units[G2]}/people/{world.people['p7']}.xlsx"]:
        assert client.get(url).status_code == 403, url
    assert client.get("/admin/stats/demo/units/999999").status_code == 404


def test_trainees_have_no_statistics(client, login_as, stats_world):
    login_as("trainee", unit=B1)
    for url in ["/admin/stats", "/admin/stats/demo", "/admin/stats.csv",
                "/admin/stats/demo/overdue", "/admin/stats/demo/units.csv"]:
        assert client.get(url).status_code == 403, url


def test_the_admin_nav_links_the_statistics(client, admin):
    assert 'href="/admin/stats"' in client.get("/admin/").get_data(as_text=True)


def svg(html: str, chart_id: str) -> str:
    start = html.index(f'<svg class="chart" id="{chart_id}"')
    return html[start:html.index("</svg>", start)]


def test_charts_are_svg_with_their_numbers_and_a_table_beside_them(client, admin):
    page = get(client, f"/admin/stats/demo/units/{admin.units[G1]}")
    bars = svg(page.html, "chart-units")
    assert 'role="img"' in bars and 'aria-label="Completion by unit"' in bars
    assert "<title>Completion by unit</title>" in bars and "<desc>" in bars
    assert re.findall(r'class="chart-value">([^<]+)<', bars) == page.column(
        "table-units", "completion_percent")
    widths = [float(w) for w in re.findall(r'width="([\d.]+)" height="14" rx="7" '
                                           r'class="chart-bar"', bars)]
    assert widths == [133.2, 0.0, 400.0]  # 33.3 %, 0 %, 100 % of the 400-wide track
    assert "第一党总支 (directly)" in bars

    scores = svg(get(client, "/admin/stats/demo").html, "chart-scores")
    assert [int(n) for n in re.findall(r'class="chart-value">(\d+)<', scores)] == SCORES_ALL
    weekly = svg(page.html, "chart-weekly")
    assert weekly.count("<circle") == 12
    assert "<script" not in page.html and "cdn" not in page.html.lower()


def test_no_scores_yet_shows_a_message_instead_of_an_empty_chart(client, make_user, grant,
                                                                 stats_world):
    user, password = make_user("trainee", unit=B1, username="stats-b1-admin")
    grant(user, unit=B1)
    sign_in_english(client, "stats-b1-admin", password)
    page = get(client, "/admin/stats/assess")
    assert 'id="chart-scores"' not in page.html and "No quiz scores yet." in page.html
