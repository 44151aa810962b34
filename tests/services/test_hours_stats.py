"""Yearly targets and the statistics' 学时: figures from the counters, the below-target list."""

from __future__ import annotations

import pytest

from lms.models import OrgUnit
from lms.services import hours_stats, stats_queries
from lms.services.hours_targets import (
    DEFAULT_TARGETS,
    parse_duty,
    resolve_targets,
    standing,
)
from tests.admin.hours_world import B1, B2, FORMULA_NAME, G1, ROOT, YEAR


def test_targets_default_to_the_party_rules_and_refuse_mistakes():
    assert resolve_targets(DEFAULT_TARGETS) == {"member": 32, "secretary": 56, "cadre": 90}
    assert resolve_targets('{"member": 40}') == {"member": 40, "secretary": 56, "cadre": 90}
    for wrong in ({"leader": 10}, {"member": -1}, {"member": 0.3}, {"member": "many"},
                  {"member": True}, "[32]", "not json"):
        with pytest.raises(ValueError, match="LMS_HOURS_TARGETS"):
            resolve_targets(wrong)


def test_a_wrong_target_setting_stops_the_start(tmp_path):
    from lms import create_app

    with pytest.raises(ValueError, match="unknown duty 'leader'"):
        create_app({"LMS_HOURS_TARGETS": {"leader": 10}, "TESTING": True,
                    "LMS_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})


def test_duties_read_in_chinese_first_then_english():
    assert [parse_duty(word) for word in ("党员", "支部书记", "领导干部", "Cadre", "秘书")] == [
        "member", "secretary", "cadre", "cadre", None]


def test_a_standing_says_what_is_left_and_when_it_is_reached():
    short = standing("member", YEAR, 12.5)
    assert (short.target, short.shortfall, short.percent, short.reached) == (32, 19.5, 39, False)
    done = standing("secretary", YEAR, 60)
    assert (done.shortfall, done.percent, done.reached) == (0, 100, True)


def unit(db, world, path) -> OrgUnit:
    return db.get(OrgUnit, world.units[path])


def test_the_figures_of_a_subtree_come_from_its_units_counters(db, hours_world):
    root = unit(db, hours_world, ROOT)
    total, rows = hours_stats.breakdown(db, stats_queries.children(db, root), root, YEAR)
    assert (total.people, total.quarters) == (6, {"online": 0, "central": 440, "group": 176})
    assert (total.hours(), total.average()) == (154, 25.67)
    assert [(row.unit.name, row.figures.people, row.figures.hours(), row.own)
            for row in rows] == [("第一党总支", 4, 146, False), ("第二党总支", 2, 8, False)]
    g1 = unit(db, hours_world, G1)
    _total, rows = hours_stats.breakdown(db, stats_queries.children(db, g1), g1, YEAR)
    assert [(row.unit.name, row.figures.people, row.figures.hours(), row.own)
            for row in rows] == [("第一党支部", 3, 106, False), ("第一党总支", 1, 40, True)]
    last_year, _rows = hours_stats.breakdown(db, [root], None, YEAR - 1)
    assert last_year.quarters["central"] == 160 and last_year.people == 6


def test_people_below_target_largest_shortfall_first(db, hours_world):
    query = hours_stats.below_target_query([unit(db, hours_world, ROOT).path], YEAR,
                                           DEFAULT_TARGETS)
    lines, total = hours_stats.below_target_page(db, query, number=1, size=50)
    assert [(line.display_name, line.duty.value, line.total, line.target, line.shortfall)
            for line in lines] == [("丙", "cadre", 30, 90, 60), (FORMULA_NAME, "member", 0, 32, 32),
                                   ("己", "member", 8, 32, 24), ("甲", "member", 14, 32, 18)]
    assert lines[0].unit_path == B1 and lines[1].unit_path == B2
    assert total == hours_stats.below_target_total(db, query) == 4
    for number in (2, 9):   # past the end: the last page
        lines, total = hours_stats.below_target_page(db, query, number=number, size=3)
        assert ([line.display_name for line in lines], total) == (["甲"], 4)
    assert [line.display_name for line in hours_stats.below_target_stream(db, query)] == [
        "丙", FORMULA_NAME, "己", "甲"]
    # Other targets, other people: at 14 hours a member is done, a cadre at 29 is not.
    lower = hours_stats.below_target_query([unit(db, hours_world, ROOT).path], YEAR,
                                           {"member": 14, "secretary": 56, "cadre": 31})
    assert [line.display_name for line in hours_stats.below_target_stream(db, lower)] == [
        FORMULA_NAME, "己", "丙"]
