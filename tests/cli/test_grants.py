"""`flask lms grant / revoke / grants`: the operator hands out scoped grants."""

from __future__ import annotations

import pytest

from lms.models import User
from lms.services.org import find_unit
from lms.services.permissions import Action, can
from tests.conftest import sign_in

UNIT = "测试党委/第一党总支"


def test_grant_list_and_revoke_a_unit_admin(runner, db, make_user):
    user = make_user("trainee", unit=f"{UNIT}/第一党支部", username="shuji")[0]
    result = runner.invoke(args=["lms", "grant", "shuji", "--unit-admin", UNIT])
    assert result.exit_code == 0, result.output
    assert f"shuji 现在是{UNIT} 的组织管理员。" in result.output
    assert can(db, db.get(User, user.id), Action.ADMIN_UNIT, find_unit(db, UNIT))

    again = runner.invoke(args=["lms", "grant", "shuji", "--unit-admin", UNIT])
    assert again.exit_code == 0 and "已经是" in again.output and "没有改动" in again.output
    listing = runner.invoke(args=["lms", "grants", "shuji"])
    assert listing.output.splitlines() == ["shuji：角色 trainee", f"  {UNIT} 的组织管理员"]

    result = runner.invoke(args=["lms", "revoke", "shuji", "--unit-admin", UNIT])
    assert result.exit_code == 0 and "不再是" in result.output
    db.expire_all()
    assert not can(db, db.get(User, user.id), Action.ADMIN_UNIT, find_unit(db, UNIT))
    result = runner.invoke(args=["lms", "revoke", "shuji", "--unit-admin", UNIT])
    assert result.exit_code == 1 and "没有“" in result.output and "的授权" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["grant", "nobody", "--site-admin"], "没有用户 nobody。"),
    (["grant", "someone", "--unit-admin", "测试党委/没有这个支部"], "没有组织 测试党委/没有这个支部。"),
    (["grant", "someone", "--course-author", "no-such-course"], "没有课程 no-such-course。"),
    (["grant", "someone"], "中恰好给出一个"),
    (["revoke", "someone", "--site-admin", "--course-author", "assess"], "中恰好给出一个"),
    (["grant", "someone", "--unit-admin", "a//b"], "组织路径应写成 党委/总支/支部"),
])
def test_unknown_names_are_usage_errors_that_change_nothing(runner, db, make_user, args,
                                                            message):
    make_user("trainee", username="someone")
    result = runner.invoke(args=["lms", *args])
    assert result.exit_code == 2 and message in result.output, result.output
    assert runner.invoke(args=["lms", "grants", "someone"]).output.splitlines() == [
        "someone：角色 trainee"]


def test_a_cli_course_author_can_open_the_import_page(app, runner, make_user):
    user, password = make_user("trainee", username="author1")
    client = app.test_client()
    sign_in(client, user.username, password)
    page = "/author/courses/assess/modules/scoring/import"
    assert client.get(page).status_code == 403
    result = runner.invoke(args=["lms", "grant", "author1", "--course-author", "assess"])
    assert result.exit_code == 0 and "author1 现在是课程 assess 的作者。" in result.output
    assert client.get(page).status_code == 200
    assert runner.invoke(args=["lms", "revoke", "author1", "--course-author",
                               "assess"]).exit_code == 0
    assert client.get(page).status_code == 403
