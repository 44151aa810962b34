"""The org tree keeps id paths: subtrees are one indexed prefix match, names are read back
from the ancestors, and renaming a unit rewrites no other row."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from lms.models import OrgUnit, User
from lms.services.accounts import HostIdentity, host_user_is_current, sync_host_user
from lms.services.org import ensure_unit_path, find_unit, in_subtree, name_path
from lms.unit_of_work import unit_of_work


def test_units_keep_id_paths_so_renaming_rewrites_nothing_below(db):
    with unit_of_work(db):
        branch = ensure_unit_path(db, "丙党委/机关党总支/第三党支部")
    root, middle = db.get(OrgUnit, branch.parent.parent_id), branch.parent
    assert (root.path, middle.path, branch.path) == (
        f"/{root.id}/", f"/{root.id}/{middle.id}/", f"/{root.id}/{middle.id}/{branch.id}/")
    assert name_path(db, branch) == "丙党委/机关党总支/第三党支部"
    before = branch.path
    with unit_of_work(db):
        middle.name = "直属党总支"
    db.expire_all()
    assert db.get(OrgUnit, branch.id).path == before
    assert name_path(db, branch) == "丙党委/直属党总支/第三党支部"
    assert find_unit(db, "丙党委/直属党总支/第三党支部").id == branch.id
    assert find_unit(db, "丙党委/机关党总支/第三党支部") is None


def test_units_are_found_by_parent_and_name_and_roots_are_unique(db):
    with unit_of_work(db):
        one = ensure_unit_path(db, "丁党委/第一党支部")
        other = ensure_unit_path(db, "戊党委/第一党支部")
        again = ensure_unit_path(db, "丁党委 / 第一党支部")
    assert one.id != other.id and again.id == one.id
    with pytest.raises(IntegrityError), unit_of_work(db):  # a second root of the same name
        db.add(OrgUnit(name="丁党委", kind=one.parent.kind, path="/x/"))
        db.flush()
    with pytest.raises(IntegrityError), unit_of_work(db):  # a second sibling of the same name
        db.add(OrgUnit(name="第一党支部", kind=one.kind, parent_id=one.parent_id, path="/y/"))
        db.flush()


@pytest.mark.backends("postgresql")  # EXPLAIN output is PostgreSQL's; not run on SQLite
def test_subtree_lookup_uses_the_path_index_on_postgresql(db, backend):
    with unit_of_work(db):
        unit = ensure_unit_path(db, "己党委/第一党总支")
    query = select(OrgUnit.id).where(in_subtree(OrgUnit.path, unit.path))
    sql = str(query.compile(db.get_bind(), compile_kwargs={"literal_binds": True}))
    db.execute(text("SET LOCAL enable_seqscan = off"))  # a tiny table would be scanned anyway
    plan = "\n".join(db.scalars(text(f"EXPLAIN {sql}")))
    assert "Seq Scan" not in plan and "ix_lms_org_units_path" in plan, plan
    assert f"~>=~ '{unit.path}'" in plan, plan  # the LIKE became an index range


def test_a_host_user_is_current_only_in_the_unit_the_host_names(db, make_user):
    user = db.get(User, make_user("trainee", unit="庚党委/第一党支部", name="赵六")[0].id)
    identity = HostIdentity("hr-1", user.username, "赵六", "trainee", "庚党委/第一党支部")
    assert host_user_is_current(user, identity)
    assert host_user_is_current(user, replace(identity, unit_path=" 庚党委／第一党支部 "))
    moved = replace(identity, unit_path="庚党委/第二党支部")
    assert not host_user_is_current(user, moved)
    with unit_of_work(db):
        user.external_id = "hr-1"
    sync_host_user(db, moved)
    assert name_path(db, user.org_unit) == "庚党委/第二党支部"
    assert host_user_is_current(user, moved)
