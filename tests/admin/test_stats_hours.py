"""The statistics' 学时 page as admins use it: figures, year, scope, list, downloads, cost."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from lms.admin import stats_hours
from lms.models import User
from lms.services import hours_entries
from tests.admin.hours_world import (
    B1,
    B2,
    FORMULA_NAME,
    G1,
    G2,
    ROOT,
    YEAR,
    sign_in_english,
)
from tests.admin.stats_html import page_of

URL = "/admin/stats/hours"


def below_names(page) -> list[str]:
    return page.column("table-hours-below", "name")


def test_a_subtree_shows_hours_by_kind_by_unit_and_who_is_below_target(client, hours_world):
    sign_in_english(client, "h-site")
    page = page_of(client.get(f"{URL}?unit={hours_world.units[ROOT]}"))
    assert page.figures == {"hours_total": "154", "on_roll": "6", "hours_average": "25.67",
                            "below_target": "4"}
    assert [(row["hours_kind"], row["hours_total"], row["hours_average"])
            for row in page.rows("table-hours-kinds")] == [
        ("Online training", "0", "0"), ("Central training", "110", "18.33"),
        ("Group study", "44", "7.33"), ("All kinds", "154", "25.67")]
    assert [(row["unit"], row["on_roll"], row["hours_total"], row["hours_average"])
            for row in page.rows("table-hours-units")] == [
        ("第一党总支", "4", "146", "36.5"), ("第二党总支", "2", "8", "4")]
    assert page.links["table-hours-units"][0] == (
        f"{URL}?unit={hours_world.units[G1]}&year={YEAR}")
    assert [(row["name"], row["duty"], row["hours_total"], row["hours_target"],
             row["hours_shortfall"]) for row in page.rows("table-hours-below")] == [
        ("丙", "Secretary who is also a leading cadre", "30", "90", "60"),
        (FORMULA_NAME, "Party member", "0", "32", "32"), ("己", "Party member", "8", "32", "24"),
        ("甲", "Party member", "14", "32", "18")]
    assert page.rows("table-hours-below")[1]["unit"] == B2
    assert page.links["table-hours-below"][0] == f"/admin/people/{hours_world.people['h-bing']}"
    assert 'id="chart-hours-kinds"' in page.html and 'id="chart-hours-units"' in page.html
    g1 = page_of(client.get(f"{URL}?unit={hours_world.units[G1]}"))
    assert [(row["unit"], row["hours_total"]) for row in g1.rows("table-hours-units")] == [
        ("第一党支部", "106"), ("第一党总支 (directly)", "40")]


def test_the_top_level_adds_up_every_unit_administered(client, hours_world):
    sign_in_english(client, "h-site")
    page = page_of(client.get(URL))
    units = page.by_first("table-hours-units", "unit")
    assert units["学时党委"]["hours_total"] == "154" and units["其他党委"]["on_roll"] == "1"
    assert "总支管理员" in below_names(page)   # outside 学时党委, with no hours either


def test_the_year_can_be_chosen_and_defaults_to_this_year(client, hours_world):
    sign_in_english(client, "h-site")
    root = hours_world.units[ROOT]
    last = page_of(client.get(f"{URL}?unit={root}&year={YEAR - 1}"))
    assert last.figures["hours_total"] == "40"
    assert "己" not in below_names(last) and "甲" in below_names(last)
    assert f'<option value="{YEAR - 1}" selected>' in last.html
    for junk in ("1900", "abc", "99999"):
        page = page_of(client.get(f"{URL}?unit={root}&year={junk}"))
        assert page.figures["hours_total"] == "154"
        assert f'<option value="{YEAR}" selected>' in page.html


def test_a_unit_admin_sees_only_their_subtree(client, hours_world):
    sign_in_english(client, "h-g2")
    page = page_of(client.get(URL))
    assert page.figures["hours_total"] == "8" and page.figures["on_roll"] == "2"
    assert below_names(page) == [FORMULA_NAME, "己"]
    assert page.column("table-hours-units", "unit") == ["第二党总支"]
    for outside in (ROOT, G1):
        assert client.get(f"{URL}?unit={hours_world.units[outside]}").status_code == 403
        assert client.get(f"{URL}/hours_below.csv?unit={hours_world.units[outside]}"
                          ).status_code == 403
    assert client.get(f"{URL}?unit=999999").status_code == 404
    text = client.get(f"{URL}/hours_below.csv").data.decode("utf-8-sig")
    assert [row[-1] for row in csv.reader(io.StringIO(text))][1:] == ["h-wu", "h-ji"]


def test_a_trainee_is_kept_out(client, login_as):
    login_as("trainee")
    assert client.get(URL).status_code == 403


def test_the_list_pages(client, hours_world, monkeypatch):
    monkeypatch.setattr(stats_hours, "PAGE", 3)
    sign_in_english(client, "h-site")
    root = hours_world.units[ROOT]
    first = page_of(client.get(f"{URL}?unit={root}"))
    assert below_names(first) == ["丙", FORMULA_NAME, "己"]
    assert f"{URL}?unit={root}&amp;year={YEAR}&amp;page=2" in first.html
    assert below_names(page_of(client.get(f"{URL}?unit={root}&page=2"))) == ["甲"]
    assert below_names(page_of(client.get(f"{URL}?unit={root}&page=9"))) == ["甲"]


def test_the_downloads_carry_the_page_and_never_a_formula(client, hours_world):
    sign_in_english(client, "h-site")
    args = f"unit={hours_world.units[ROOT]}&year={YEAR}"
    response = client.get(f"{URL}/hours_below.csv?{args}")
    assert response.status_code == 200 and "attachment" in response.headers[
        "Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["Name", "Hours to go", "Study hours", "Yearly target", "Duty", "Unit",
                       "Username"]
    assert [row[0] for row in rows[1:]] == ["丙", "'" + FORMULA_NAME, "己", "甲"]
    assert rows[1][1:] == ["60", "30", "90", "Secretary who is also a leading cadre", B1,
                           "h-bing"]
    sheet = load_workbook(io.BytesIO(client.get(f"{URL}/hours_below.xlsx?{args}").data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert values[1][0] == "'" + FORMULA_NAME and values[0][1:4] == [60, 30, 90]
    units = load_workbook(io.BytesIO(client.get(f"{URL}/hours_units.xlsx?{args}").data)).active
    assert [cell.value for cell in units[2]][:2] == ["第一党总支", 4]
    assert client.get(f"{URL}/nothing.csv?{args}").status_code == 404
    assert client.get(f"{URL}/hours_below.pdf?{args}").status_code == 404


def test_the_page_costs_the_same_with_more_people(app, db, client, make_user, count_queries,
                                                  hours_world):
    sign_in_english(client, "h-site")
    url = f"{URL}?unit={hours_world.units[ROOT]}"
    _, before = count_queries(url)
    assert before.writes == [] and len(before) <= 14, before.report()
    actor = db.get(User, hours_world.site_admin.id)
    for number in range(12):
        person, _ = make_user("trainee", unit=f"{G2}/新支部{number % 3}",
                              username=f"h-more-{number}", name=f"新党员{number:02d}")
        hours_entries.record_offline(db, actor, db.get(User, person.id), "group", number + 1,
                                     "主题党日", date(YEAR, 1, 3))
    response, after = count_queries(url)
    assert len(after) == len(before), f"before:\n{before.report()}\nafter:\n{after.report()}"
    assert "新党员00" in response.get_data(as_text=True)


@pytest.mark.parametrize("table", ["hours_kinds", "hours_units"])
def test_the_small_tables_download_as_csv(client, hours_world, table):
    sign_in_english(client, "h-site")
    response = client.get(f"{URL}/{table}.csv?unit={hours_world.units[ROOT]}")
    assert response.status_code == 200
    assert len(list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))) >= 3
