"""The admin room in a browser's shoes: who may open what, CSRF, and clear refusals."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.models import AdminAction, OrgUnit
from lms.services.org import find_unit, name_path
from tests.conftest import csrf_token, post_form

ROOT = "视图党委"
GB1 = "视图党委/第一党总支"
GB2 = "视图党委/第二党总支"
BRANCH = "视图党委/第一党总支/第一党支部"


@pytest.fixture
def units(db, make_user):
    make_user("trainee", unit=BRANCH)
    make_user("trainee", unit=GB2)
    return {path: find_unit(db, path).id for path in (ROOT, GB1, GB2, BRANCH)}


@pytest.fixture
def gb1_admin(login_as, grant, units):
    """Signed in as the unit admin of 第一党总支 (a trainee with a grant)."""
    user = login_as("trainee", unit=BRANCH)
    grant(user, unit=GB1)
    return user


def page(response) -> str:
    return response.get_data(as_text=True)


def log(response) -> str:
    """The audit page's entries, without the filter form (whose unit list names every unit)."""
    text = page(response)
    return text.split('class="module-list audit-log"', 1)[1] if "audit-log" in text else ""


def test_the_tree_shows_the_subtree_with_people_counts(client, gb1_admin, units):
    text = page(client.get("/admin/"))
    assert "组织管理" in text  # the header link
    assert "第一党总支" in text and "第一党支部" in text
    assert "第二党总支" not in text
    assert "2 人" in text  # the admin and the trainee in 第一党支部


def test_trainees_get_no_link_and_no_room(client, login_as, units):
    login_as("trainee", unit=BRANCH)
    assert "组织管理" not in page(client.get("/"))
    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/audit").status_code == 403


def test_a_unit_admin_outside_their_subtree_gets_403(client, db, gb1_admin, units):
    assert client.get(f"/admin/units/{units[GB2]}").status_code == 403
    response = post_form(client, f"/admin/units/{units[GB2]}/rename", {"name": "改名"},
                         token_from="/admin/")
    assert response.status_code == 403
    response = post_form(client, f"/admin/units/{units[BRANCH]}/move",
                         {"parent_id": units[GB2]}, token_from="/admin/")
    assert response.status_code == 403
    db.expire_all()
    assert db.get(OrgUnit, units[GB2]).name == "第二党总支"
    assert db.get(OrgUnit, units[BRANCH]).parent_id == units[GB1]


def test_rename_needs_the_csrf_token(client, db, gb1_admin, units):
    csrf_token(client, "/admin/")
    response = client.post(f"/admin/units/{units[BRANCH]}/rename", data={"name": "新名"})
    assert response.status_code == 400
    assert "表单已过期" in page(response) or "过期" in page(response)
    db.expire_all()
    assert db.get(OrgUnit, units[BRANCH]).name == "第一党支部"


def test_create_rename_and_move_through_the_pages(client, db, gb1_admin, units):
    url = f"/admin/units/{units[GB1]}"
    response = post_form(client, f"{url}/children", {"name": "第二党支部", "kind": "branch"})
    assert response.status_code == 303
    new_id = int(response.location.rstrip("/").rsplit("/", 1)[1])
    response = post_form(client, f"/admin/units/{new_id}/rename", {"name": "第三党支部"})
    assert response.status_code == 303
    response = post_form(client, f"/admin/units/{new_id}/move", {"parent_id": units[BRANCH]})
    assert response.status_code == 303
    db.expire_all()
    assert name_path(db, db.get(OrgUnit, new_id)) == "视图党委/第一党总支/第一党支部/第三党支部"
    assert "组织已连同全部下级移动" in page(client.get(f"/admin/units/{new_id}"))
    actions = db.scalars(select(AdminAction.action).where(AdminAction.target_id == new_id,
                                                          AdminAction.target_kind == "org_unit"))
    assert sorted(actions) == ["unit_created", "unit_moved", "unit_renamed"]
    response = post_form(client, f"/admin/units/{new_id}/deactivate", {"confirm": "y"})
    assert response.status_code == 303
    db.expire_all()
    assert db.get(OrgUnit, new_id).active is False


@pytest.mark.parametrize(("path", "data", "status", "message"), [
    ("{BRANCH}/rename", {"name": "  "}, 400, "请输入名称"),
    ("{BRANCH}/rename", {"name": "甲/乙"}, 400, "不能包含"),
    ("{GB1}/children", {"name": "第一党支部", "kind": "branch"}, 409, "已有同名"),
    ("{GB1}/children", {"name": "新支部", "kind": "club"}, 400, "选择"),
    ("{GB1}/move", {"parent_id": "{BRANCH}"}, 400, "不能移到"),
    ("{BRANCH}/move", {"parent_id": "abc"}, 400, "请选择新的上级组织"),
    ("{BRANCH}/move", {"parent_id": "99999999999999"}, 400, "请选择新的上级组织"),
    ("{BRANCH}/move", {"parent_id": "2147483000"}, 400, "上级组织不存在"),
    ("{BRANCH}/deactivate", {}, 400, "请勾选以确认"),
    ("{BRANCH}/deactivate", {"confirm": "y"}, 409, "仍有在职人员"),
    ("{GB1}/deactivate", {"confirm": "y"}, 409, "仍有在职人员"),
])
def test_bad_input_gets_a_clear_message_and_changes_nothing(client, db, gb1_admin, units, path,
                                                            data, status, message):
    keys = {"BRANCH": units[BRANCH], "GB1": units[GB1]}
    data = {k: v.format(**keys) for k, v in data.items()}
    before = db.scalar(select(AdminAction.id).order_by(AdminAction.id.desc()).limit(1))
    response = post_form(client, "/admin/units/" + path.format(**keys), data,
                         token_from="/admin/")
    assert response.status_code == status
    assert message in page(response)
    assert db.scalar(select(AdminAction.id).order_by(AdminAction.id.desc()).limit(1)) == before


def test_the_audit_log_is_scoped_filtered_and_paginated(client, db, login_as, grant, units,
                                                        make_user):
    from lms.models import User
    from lms.services import org_admin

    site, _ = make_user("trainee", unit=None)
    grant(site, site=True)
    site = db.get(User, site.id)
    for number in range(21):
        org_admin.create_unit(db, site, db.get(OrgUnit, units[GB1]), f"一总支{number}", "branch")
    org_admin.create_unit(db, site, db.get(OrgUnit, units[GB2]), "二总支外支部", "branch")
    admin = login_as("trainee", unit=BRANCH)
    grant(admin, unit=GB1)
    first = log(client.get("/admin/audit?action=unit_created"))
    assert "一总支20" in first and "一总支0" not in first  # newest first, 20 a page
    assert "一总支0" in log(client.get("/admin/audit?action=unit_created&page=2"))
    everything = page(client.get("/admin/audit?page=1")) + page(client.get("/admin/audit?page=2"))
    assert "二总支外支部" not in everything  # outside the subtree
    assert "二总支外支部" not in page(client.get("/admin/audit?action=unit_created&page=2"))
    assert "一总支" not in log(client.get("/admin/audit?action=unit_moved"))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login_as("admin", unit=None)  # an admin without a unit is a site admin
    assert "二总支外支部" in log(client.get("/admin/audit?action=unit_created"))
    assert client.get("/admin/audit?page=abc&action=nonsense").status_code == 200


def test_tree_and_audit_pages_query_the_same_for_few_and_many_units(
        client, db, login_as, count_queries, make_user):
    login_as("admin", unit=None)  # site admin: sees every unit
    make_user("trainee", unit="预算党委/第一党总支/第一党支部")  # the log names people too
    _, few_tree = count_queries("/admin/")
    _, few_audit = count_queries("/admin/audit")
    for number in range(6):
        make_user("trainee", unit=f"预算党委/第{number}党总支/第{number}党支部")
    _, many_tree = count_queries("/admin/")
    _, many_audit = count_queries("/admin/audit")
    assert len(many_tree) == len(few_tree), many_tree.report()
    assert len(many_audit) == len(few_audit), many_audit.report()
    assert many_tree.writes == [] and many_audit.writes == []
