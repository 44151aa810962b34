"""Org tree changes: create, rename, move, deactivate; their refusals and their audit rows."""

from __future__ import annotations

from typing import ClassVar

import pytest
from sqlalchemy import select

from lms.events import UnitMoved
from lms.models import AdminAction, OrgUnit, User
from lms.services import org_admin
from lms.services.errors import EventHandlingFailed, PermissionDenied
from lms.services.org import find_unit, name_path
from lms.services.org_admin import UnitChangeRefused
from lms.services.permissions import scope_of
from lms.subscribers import EventHandler

ROOT = "管理党委"
GB1 = "管理党委/第一党总支"
GB2 = "管理党委/第二党总支"
BRANCH = "管理党委/第一党总支/第一党支部"


@pytest.fixture
def site_admin(db, make_user, grant):
    user, _ = make_user("trainee", unit=None)
    grant(user, site=True)
    return db.get(User, user.id)


@pytest.fixture
def tree(db, make_user):
    """管理党委 with two 总支; a trainee in 第一党总支/第一党支部 (which has a 党小组)."""
    make_user("trainee", unit=BRANCH)
    make_user("trainee", unit=GB2)
    make_user("trainee", unit="管理党委/第一党总支/第一党支部/第一党小组")
    return {path: find_unit(db, path) for path in (ROOT, GB1, GB2, BRANCH)}


def audit_rows(db, action: str) -> list[AdminAction]:
    return list(db.scalars(select(AdminAction).where(AdminAction.action == action)
                           .order_by(AdminAction.id)))


def test_create_and_rename_write_audit_rows(db, site_admin, tree):
    unit = org_admin.create_unit(db, site_admin, tree[GB1], " 第三党支部 ", "branch")
    assert name_path(db, unit) == "管理党委/第一党总支/第三党支部"
    assert unit.path == f"{tree[GB1].path}{unit.id}/" and unit.active
    org_admin.rename_unit(db, site_admin, unit, "第四党支部")
    assert find_unit(db, "管理党委/第一党总支/第四党支部").id == unit.id
    created, = [row for row in audit_rows(db, "unit_created") if row.target_id == unit.id]
    assert created.actor_id == site_admin.id and created.org_unit_path == unit.path
    assert created.after["name"] == "第三党支部"
    renamed, = [row for row in audit_rows(db, "unit_renamed") if row.target_id == unit.id]
    assert (renamed.before, renamed.after) == ({"name": "第三党支部"}, {"name": "第四党支部"})


def test_create_refuses_bad_names_and_kinds(db, site_admin, tree):
    for name, reason in (("  ", "name_required"), ("甲/乙", "name_has_slash"),
                         ("第一党支部", "name_taken"), ("长" * 101, "name_too_long")):
        with pytest.raises(UnitChangeRefused) as refused:
            org_admin.create_unit(db, site_admin, tree[GB1], name, "branch")
        assert refused.value.reason == reason
    with pytest.raises(UnitChangeRefused, match="kind"):
        org_admin.create_unit(db, site_admin, tree[GB1], "新支部", "club")


def test_move_rewrites_the_whole_subtree_and_people_follow(db, site_admin, tree):
    group = find_unit(db, "管理党委/第一党总支/第一党支部/第一党小组")
    member = db.scalar(select(User).where(User.org_unit_id == group.id))
    old_path = tree[BRANCH].path
    org_admin.move_unit(db, site_admin, tree[BRANCH], tree[GB2])
    db.expire_all()
    branch, group = db.get(OrgUnit, tree[BRANCH].id), db.get(OrgUnit, group.id)
    assert branch.parent_id == tree[GB2].id
    assert branch.path == f"{tree[GB2].path}{branch.id}/"
    assert group.path == f"{branch.path}{group.id}/"
    assert name_path(db, group) == "管理党委/第二党总支/第一党支部/第一党小组"
    assert db.get(User, member.id).org_unit_id == group.id  # the id is the same: nothing to move
    assert db.scalar(select(OrgUnit).where(OrgUnit.path.like(f"{old_path}%"))) is None
    moved, = [row for row in audit_rows(db, "unit_moved") if row.target_id == branch.id]
    assert moved.before["path"] == old_path and moved.after["path"] == branch.path


def test_a_refused_move_changes_nothing_and_writes_no_audit_row(db, site_admin, tree):
    group = find_unit(db, "管理党委/第一党总支/第一党支部/第一党小组")
    before = len(audit_rows(db, "unit_moved"))
    for target in (tree[BRANCH], group):
        with pytest.raises(UnitChangeRefused) as refused:
            org_admin.move_unit(db, site_admin, tree[GB1], target)
        assert refused.value.reason == "into_own_subtree"
    db.expire_all()
    assert db.get(OrgUnit, tree[GB1].id).parent_id == tree[ROOT].id
    assert len(audit_rows(db, "unit_moved")) == before


def test_a_unit_admin_acts_only_in_their_subtree(db, make_user, grant, tree):
    user, _ = make_user("trainee", unit=BRANCH)
    grant(user, unit=GB1)
    admin = db.get(User, user.id)
    with pytest.raises(PermissionDenied):
        org_admin.create_unit(db, admin, tree[GB2], "外支部", "branch")
    with pytest.raises(PermissionDenied):  # the new parent is outside the subtree
        org_admin.move_unit(db, admin, tree[BRANCH], tree[GB2])
    with pytest.raises(PermissionDenied):
        org_admin.create_unit(db, admin, None, "新党委", "committee")
    with pytest.raises(PermissionDenied):
        org_admin.rename_unit(db, admin, tree[ROOT], "改名党委")
    unit = org_admin.create_unit(db, admin, tree[GB1], "内支部", "branch")
    assert unit.parent_id == tree[GB1].id
    assert [row.unit.id for row in org_admin.unit_tree(db, scope_of(db, admin))][:1] == \
        [tree[GB1].id]


def test_deactivate_refuses_units_in_use_and_keeps_the_row(db, site_admin, tree):
    with pytest.raises(UnitChangeRefused) as refused:
        org_admin.deactivate_unit(db, site_admin, tree[GB2])
    assert refused.value.reason == "has_people"
    empty = org_admin.create_unit(db, site_admin, tree[GB2], "空支部", "branch")
    org_admin.create_unit(db, site_admin, empty, "空小组", "group")
    with pytest.raises(UnitChangeRefused) as refused:
        org_admin.deactivate_unit(db, site_admin, empty)
    assert refused.value.reason == "has_units"
    child = find_unit(db, "管理党委/第二党总支/空支部/空小组")
    org_admin.deactivate_unit(db, site_admin, child)
    org_admin.deactivate_unit(db, site_admin, empty)
    db.expire_all()
    assert db.get(OrgUnit, empty.id).active is False
    with pytest.raises(UnitChangeRefused) as refused:  # offered nowhere new
        org_admin.create_unit(db, site_admin, db.get(OrgUnit, empty.id), "再建", "group")
    assert refused.value.reason == "inactive"
    assert {row.target_id for row in audit_rows(db, "unit_deactivated")} >= {empty.id, child.id}


def test_tree_is_ordered_with_depths_and_subtree_people_counts(db, site_admin, tree):
    rows = {row.unit.id: row for row in org_admin.unit_tree(db, scope_of(db, site_admin))}
    assert rows[tree[ROOT].id].depth == 0 and rows[tree[BRANCH].id].depth == 2
    # A unit counts its whole subtree (the 支部 its 党小组 too): the 党委 shows everyone
    # below it, not the 0 people placed directly in it.
    assert rows[tree[BRANCH].id].people == 2 and rows[tree[GB2].id].people == 1
    assert rows[tree[GB1].id].people == 2 and rows[tree[ROOT].id].people == 3


def test_grant_changes_are_audited(db, make_user, grant, tree):
    user, _ = make_user("trainee", unit=BRANCH)
    grant(user, unit=GB1)
    row, = [r for r in audit_rows(db, "grant_changed") if r.target_id == user.id]
    assert row.org_unit_path == tree[GB1].path and row.after["kind"] == "unit_admin"


class ExplodingAfterMove(EventHandler):
    """Fails after the audit handler has written its row, as a later handler might."""

    name: ClassVar[str] = "exploding_after_move"
    events = (UnitMoved,)

    def handle(self, event, session) -> None:
        raise ValueError("the statistics table is gone")


def test_a_move_that_fails_late_keeps_neither_the_move_nor_its_audit_row(app, db, site_admin,
                                                                          tree):
    handlers = app.extensions["lms"].handlers
    handlers.register(ExplodingAfterMove())
    try:
        with pytest.raises(EventHandlingFailed):
            org_admin.move_unit(db, site_admin, tree[BRANCH], tree[GB2])
    finally:
        handlers.unregister("exploding_after_move")
    db.expire_all()
    branch = db.get(OrgUnit, tree[BRANCH].id)
    assert branch.parent_id == tree[GB1].id and branch.path.startswith(tree[GB1].path)
    assert [row for row in audit_rows(db, "unit_moved") if row.target_id == branch.id] == []
