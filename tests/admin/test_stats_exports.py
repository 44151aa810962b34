"""Every dashboard table downloads as CSV and XLSX with the page's numbers, safely."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from lms.services import stats_people
from lms.services.org import find_unit
from tests.admin.stats_html import page_of
from tests.admin.stats_world import (
    ALL,
    B1,
    B1_FIGURES,
    B2,
    B2_FIGURES,
    B3,
    FORMULA_NAME,
    G1,
    G1_OWN,
    LEAST_ALL,
    ROOT,
    SCORES_ALL,
    sign_in_english,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def admin(client, stats_world):
    sign_in_english(client, "stats-site-admin", stats_world.password)
    return stats_world


def download(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    response.was_streamed = response.is_streamed  # reading it buffers it
    data = response.get_data()  # read it all before the next request
    return response, data


def xlsx_rows(client, url: str) -> list[list]:
    response, data = download(client, url)
    assert response.mimetype == XLSX
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    rows = [[_plain(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    width = len(rows[0])  # read-only mode drops empty cells at the end of a row
    return [row + [None] * (width - len(row)) for row in rows]


def _plain(value):
    return value.date() if isinstance(value, datetime) else value


def csv_rows(client, url: str) -> list[list[str]]:
    response, data = download(client, url)
    assert data.startswith(b"\xef\xbb\xbf"), data[:10]  # the BOM Excel needs for UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_a_drill_down_level_downloads_with_the_page_numbers(client, admin):
    url = f"/admin/stats/demo/units/{admin.units[G1]}"
    header, *rows = xlsx_rows(client, f"{url}/units.xlsx")
    assert header == ["Unit", "Counted", "Learners", "Assigned", "Started", "Completed",
                      "Overdue", "Completion %", "Average best score"]
    assert rows == [["第一党支部", "With sub-units", *B1_FIGURES],
                    ["第二党支部", "With sub-units", *B2_FIGURES],
                    ["第一党总支", "Directly in this unit", *G1_OWN]]
    header, *rows = csv_rows(client, f"{url}/units.csv")
    assert rows[0] == ["第一党支部", "With sub-units", "3", "1", "3", "1", "0", "33.3", "62.5"]
    assert rows[2][-1] == ""  # no score: an empty cell, not "None"
    page = page_of(client.get(url))
    assert [row["learners"] for row in page.rows("table-units")] == [r[2] for r in rows]


def test_the_other_tables_download_too(client, admin):
    base = "/admin/stats/demo"
    assert xlsx_rows(client, f"{base}/summary.xlsx")[1] == ALL
    funnel = xlsx_rows(client, f"{base}/funnel.xlsx")
    assert funnel[1:] == [["第一节", 6, 5, 3, 70.0], ["第二节", 4, 0, 4, None]]
    scores = xlsx_rows(client, f"{base}/scores.xlsx")
    assert [row[1] for row in scores[1:]] == SCORES_ALL
    least = csv_rows(client, f"{base}/least_complete.csv")
    assert [row[0] for row in least[1:]] == [path for path, _ in LEAST_ALL]
    assert least[1][1:] == ["1", "0", "1", "0", "0", "0.0"]
    courses = xlsx_rows(client, "/admin/stats.xlsx")
    demo = next(row for row in courses if row[1] == "demo")
    assert demo == ["演示课程", "demo", "Yes", *ALL]


def test_weekly_completions_download_for_the_chosen_range(client, admin):
    monday = admin.today - timedelta(days=admin.today.weekday())
    start = monday - timedelta(weeks=1)
    rows = xlsx_rows(client, f"/admin/stats/demo/weekly.xlsx?from={start}&to={admin.today}")
    assert rows[1:] == [[start, 0], [monday, 3]]


def test_people_downloads_are_streamed_and_safe_against_formulas(client, admin):
    url = f"/admin/stats/demo/units/{admin.units[B1]}/people.csv?direct=1"
    response, data = download(client, url)
    assert response.was_streamed
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    names = {row[1]: row[0] for row in rows[1:]}
    assert names["stats-p2"] == "'" + FORMULA_NAME  # Excel shows it as text, never runs it
    assert names["stats-p1"] == "甲一"

    sheet = xlsx_rows(client, url.replace(".csv", ".xlsx"))
    header, *people = sheet
    assert header[:4] == ["Name", "Username", "Unit", "Status"]
    by_user = {row[1]: row for row in people}
    assert by_user["stats-p2"][0] == "'" + FORMULA_NAME
    assert by_user["stats-p1"][3:7] == ["Completed", 2, 2, 100.0]
    assert by_user["stats-p3"][3:7] == ["In progress", 0, 2, 25.0]
    assert by_user["stats-p1"][8] == admin.today - timedelta(days=3)


def test_all_people_of_a_subtree_in_chunks(client, db, admin, monkeypatch):
    id_path = {name: find_unit(db, name).path for name in (G1, B1, B2, B3)}
    monkeypatch.setattr(stats_people, "CHUNK", 2)  # eight people: four reads
    rows = xlsx_rows(client, f"/admin/stats/demo/units/{admin.units[ROOT]}/people.xlsx")
    people = rows[1:]
    assert len(people) == 8
    units = [row[2] for row in people]
    assert sorted(units) == sorted([G1, B1, B1, B1, B2, B3, B3, B3])
    assert units == sorted(units, key=lambda name: id_path[name])  # unit by unit
    status = {row[1]: (row[3], row[9], row[10]) for row in people}
    assert status["stats-p6"] == ("Completed", "Yes", "No")     # overridden
    assert status["stats-p5"] == ("In progress", "No", "Yes")   # deactivated
    assert status["stats-p4"] == ("Completed", "No", "No")      # moved after completing
    assert status["stats-p7"] == ("Overdue", "No", "No")


def test_the_overdue_list_downloads_as_on_the_page(client, admin):
    page = page_of(client.get("/admin/stats/demo/overdue"))
    header, *rows = xlsx_rows(client, "/admin/stats/demo/overdue.xlsx")
    assert [row[1] for row in rows] == page.column("table-overdue", "username")
    assert [str(row[4]) for row in rows] == page.column("table-overdue", "days_overdue")
    assert [row[3] for row in rows] == [admin.today - timedelta(days=10),
                                        admin.today - timedelta(days=5)]
    assert [row[2] for row in rows] == [B3, B3]
    in_g1 = csv_rows(client, f"/admin/stats/demo/units/{admin.units[G1]}/overdue.csv")
    assert len(in_g1) == 1  # the header only


def test_a_person_s_modules_download(client, admin):
    url = f"/admin/stats/demo/units/{admin.units[B2]}/people/{admin.people['p5']}.xlsx"
    header, *rows = xlsx_rows(client, url)
    assert header[:4] == ["Module", "Status", "Best score", "Attempts"]
    assert [row[:4] for row in rows] == [["第一节", "In progress", 50.0, 1],
                                         ["第二节", "Not started", None, 0]]


def test_file_names_carry_the_course_unit_and_date(client, admin):
    response, _ = download(client, f"/admin/stats/demo/units/{admin.units[B1]}/units.xlsx")
    disposition = response.headers["Content-Disposition"]
    name = f"demo-第一党支部-Completion by unit-{admin.today.isoformat()}.xlsx"
    assert f"filename*=UTF-8''{quote(name)}" in disposition
    assert f'filename="demo-units-{admin.today.isoformat()}.xlsx"' in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
