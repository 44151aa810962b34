"""A small organisation with a year of 学时, every figure worked out by hand.

学时党委 (ROOT)
├── 第一党总支 (G1)         丁 member, central 40 (directly in G1: reached)
│   └── 第一党支部 (B1)     甲 member, central 10 + group 4 = 14 (18 to go)
│                          乙 secretary, central 60 (reached 56)
│                          丙 cadre, group 30 (60 to go)
│                          停 member, group 2, then deactivated (in the hours, not the people)
└── 第二党总支 (G2)
    └── 第二党支部 (B2)     =SUM(1,2) member, nothing (32 to go)
                           己 member, group 8 (24 to go); central 40 last year
其他党委/其他支部           the G2 admin (a trainee with a grant); the site admin has no unit

Default targets (member 32, secretary 56, cadre 90). This year: central 110, group 44,
online 0, 154 in all; 6 active people, 25.67 each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from lms.models import User
from lms.services import hours_entries, people_admin
from lms.services.org import find_unit
from tests.conftest import post_form, sign_in

ROOT = "学时党委"
G1 = f"{ROOT}/第一党总支"
G2 = f"{ROOT}/第二党总支"
B1 = f"{G1}/第一党支部"
B2 = f"{G2}/第二党支部"
OUTSIDE = "其他党委/其他支部"
FORMULA_NAME = "=SUM(1,2)"
YEAR = date.today().year
PEOPLE = [  # username, name, unit, duty, [(kind, hours, year)]
    ("h-jia", "甲", B1, "member", [("central", 10, YEAR), ("group", 4, YEAR)]),
    ("h-yi", "乙", B1, "secretary", [("central", 60, YEAR)]),
    ("h-bing", "丙", B1, "cadre", [("group", 30, YEAR)]),
    ("h-ting", "停", B1, "member", [("group", 2, YEAR)]),
    ("h-ding", "丁", G1, "member", [("central", 40, YEAR)]),
    ("h-wu", FORMULA_NAME, B2, "member", []),
    ("h-ji", "己", B2, "member", [("group", 8, YEAR), ("central", 40, YEAR - 1)]),
]
PASSWORD = "correct-horse-1"


@dataclass
class HoursWorld:
    site_admin: User
    g2_admin: User
    units: dict[str, int]
    people: dict[str, int]


@pytest.fixture
def hours_world(db, make_user, grant) -> HoursWorld:
    site, _ = make_user("admin", unit=None, username="h-site", name="站点管理员")
    g2_admin, _ = make_user("trainee", unit=OUTSIDE, username="h-g2", name="总支管理员")
    actor = db.get(User, site.id)
    people = {}
    for username, name, unit, duty, entries in PEOPLE:
        person, _ = make_user("trainee", unit=unit, username=username, name=name)
        person = db.get(User, person.id)
        people_admin.update_person(db, actor, person, duty=duty)
        for kind, hours, year in entries:
            hours_entries.record_offline(db, actor, person, kind, hours, "专题培训",
                                         date(year, 1, 2))
        people[username] = person.id
    people_admin.set_person_active(db, actor, db.get(User, people["h-ting"]), False)
    grant(g2_admin, unit=G2)
    units = {path: find_unit(db, path).id for path in (ROOT, G1, G2, B1, B2)}
    return HoursWorld(site, g2_admin, units, people)


def sign_in_english(client, username: str) -> None:
    assert sign_in(client, username, PASSWORD).status_code == 302
    assert post_form(client, "/locale", {"locale": "en", "next": "/"},
                     token_from="/").status_code == 302
