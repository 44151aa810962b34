"""`flask lms stats --course SLUG [--unit PATH] --json` prints what the dashboard shows."""

from __future__ import annotations

import json

import pytest

from tests.admin.stats_html import page_of
from tests.admin.stats_world import (
    ALL,
    G1,
    G1_FIGURES,
    SCORES_ALL,
    sign_in_english,
)

FIGURES = ["learners", "assigned", "started", "completed", "overdue", "completion_percent",
           "average_score"]


def shown(value, column: str) -> str:
    """A JSON number as the page prints it."""
    if value is None:
        return "—"
    if column == "completion_percent":
        return f"{value:.1f}%"
    if column == "average_score":
        return f"{value:.1f}"
    return str(value)


def stats_json(runner, *args: str) -> dict:
    result = runner.invoke(args=["lms", "stats", "--course", "demo", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def same_table(page, table_id: str, records: list[dict], columns: list[str]) -> None:
    rows = page.rows(table_id)
    assert len(rows) == len(records)
    for row, record in zip(rows, records, strict=True):
        assert [row[c] for c in columns] == [shown(record[c], c) for c in columns]


@pytest.mark.parametrize("unit", [None, G1])
def test_the_json_equals_the_dashboard(runner, client, stats_world, unit):
    sign_in_english(client, "stats-site-admin", stats_world.password)
    data = stats_json(runner, *(["--unit", unit] if unit else []))
    url = f"/admin/stats/demo/units/{stats_world.units[unit]}" if unit else "/admin/stats/demo"
    page = page_of(client.get(url))

    assert data["totals"] == dict(zip(FIGURES, G1_FIGURES if unit else ALL, strict=True))
    assert page.figures == {c: shown(data["totals"][c], c) for c in FIGURES}
    same_table(page, "table-units", data["units"], ["unit", *FIGURES])
    same_table(page, "table-funnel", data["funnel"],
               ["module", "opened", "attempted", "passed", "average_score"])
    same_table(page, "table-scores", data["scores"], ["score_range", "people"])
    same_table(page, "table-weekly", data["weekly"], ["week_start", "completed"])
    same_table(page, "table-least", data["least_complete"],
               ["unit", *FIGURES[:6]])
    if unit is None:
        assert [row["people"] for row in data["scores"]] == SCORES_ALL
    assert data["unit"] == unit and data["course"] == "demo"


def test_without_json_a_readable_table(runner, stats_world):
    result = runner.invoke(args=["lms", "stats", "--course", "demo", "--unit", G1])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"演示课程 (demo) · {G1}"
    assert lines[2].split() == ["5", "1", "5", "2", "0", "40.0", "58.3"]
    assert "章节学习漏斗" in lines and "完成率最低的组织" in lines
    assert any(line.split()[:3] == ["第一党支部", "subtree", "3"] for line in lines)


@pytest.mark.parametrize(("args", "message"), [
    (["--course", "no-such-course"], "没有课程 no-such-course。"),
    (["--course", "demo", "--unit", "统计党委/没有这个支部"], "没有组织 统计党委/没有这个支部。"),
    (["--course", "demo", "--unit", "a//b"], "组织路径应写成 党委/总支/支部"),
    (["--course", "demo", "--from", "2025-02-01", "--to", "2025-01-01"], "--from 不能晚于 --to"),
])
def test_unknown_courses_and_units_fail_clearly(runner, stats_world, args, message):
    result = runner.invoke(args=["lms", "stats", *args, "--json"])
    assert result.exit_code == 1, result.output
    assert message in result.output


def test_stats_alone_shows_help_and_rebuild_still_works(runner):
    assert "--course" in runner.invoke(args=["lms", "stats"]).output
    result = runner.invoke(args=["lms", "stats", "rebuild"])
    assert result.exit_code == 0 and "已根据原始记录重新计数" in result.output
