"""A person's duty (which yearly 学时 target applies) and e-mail: the forms and the CLI."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.models import AdminAction, User
from lms.services.org import find_unit
from tests.admin.test_people_views import BRANCH, GB1, GB2, english, new_person, person_id, text
from tests.conftest import post_form


@pytest.fixture
def units(db, make_user):
    make_user("trainee", unit=BRANCH, name="本支部学员", username="inside1")
    make_user("trainee", unit=GB2, name="外总支学员", username="outside1")
    return {path: find_unit(db, path).id for path in (GB1, GB2, BRANCH)}


@pytest.fixture
def gb1_admin(client, login_as, grant, units):
    """Signed in (English pages) as the unit admin of 第一党总支."""
    user = login_as("trainee", unit=BRANCH, name="总支管理员")
    grant(user, unit=GB1)
    english(client)
    return user


def test_a_new_person_gets_a_duty_and_an_e_mail(client, db, gb1_admin, units):
    form = text(client.get("/admin/people/new"))
    assert 'name="duty"' in form and 'name="email"' in form
    assert "Branch secretary or committee member" in form
    response = new_person(client, units, duty="secretary", email=" wang.wu@example.com ")
    assert response.status_code == 200, text(response)
    made = db.get(User, person_id(db, "wang.wu"))
    assert (made.duty.value, made.email) == ("secretary", "wang.wu@example.com")
    response = new_person(client, units, username="no.duty")   # an older form: a 党员
    assert response.status_code == 200 and db.get(User, person_id(db, "no.duty")).duty.value \
        == "member"


def test_a_wrong_e_mail_or_duty_is_refused_next_to_its_field(client, db, gb1_admin, units):
    response = new_person(client, units, email="wang.wu#example.com")
    assert response.status_code == 400
    assert "Enter an e-mail address such as name@example.com." in text(response)
    assert 'id="email-error"' in text(response) and person_id(db, "wang.wu") is None
    response = new_person(client, units, duty="chairman")
    assert response.status_code == 400 and 'id="duty-error"' in text(response)


def test_an_admin_changes_duty_and_e_mail_on_the_person_page(client, db, gb1_admin, units):
    target = person_id(db, "inside1")
    page_text = text(client.get(f"/admin/people/{target}"))
    assert '<option selected value="member">' in page_text
    data = {"display_name": "本支部学员", "role": "trainee", "phone": "", "duty": "cadre",
            "email": "inside1@example.com"}
    response = post_form(client, f"/admin/people/{target}/edit", data,
                         token_from=f"/admin/people/{target}")
    assert response.status_code == 303
    db.expire_all()
    person = db.get(User, target)
    assert (person.duty.value, person.email) == ("cadre", "inside1@example.com")
    entry = db.scalar(select(AdminAction).where(AdminAction.action == "person_updated",
                                                AdminAction.target_id == target))
    assert entry.after == {"duty": "cadre", "email": "inside1@example.com"}
    assert "Secretary who is also a leading cadre" in text(client.get("/admin/audit"))
    response = post_form(client, f"/admin/people/{target}/edit", {**data, "email": ""},
                         token_from=f"/admin/people/{target}")
    assert response.status_code == 303
    db.expire_all()
    assert db.get(User, target).email is None   # an emptied field clears it
    response = post_form(client, f"/admin/people/{target}/edit", {**data, "email": "a@b"},
                         token_from=f"/admin/people/{target}")
    assert response.status_code == 400 and "name@example.com" in text(response)


def test_the_cli_creates_people_with_a_duty_and_an_e_mail(runner, db):
    result = runner.invoke(args=["lms", "create-user", "zhao.shuji", "--name", "赵书记",
                                 "--unit", "命令党委/第一党支部", "--duty", "支部书记",
                                 "--email", "zhao@example.com"])
    assert result.exit_code == 0, result.output
    user = db.scalar(select(User).where(User.username == "zhao.shuji"))
    assert (user.duty.value, user.email) == ("secretary", "zhao@example.com")
    assert find_unit(db, "命令党委/第一党支部") is not None
    result = runner.invoke(args=["lms", "create-user", "qian", "--name", "钱", "--duty", "主席"])
    assert result.exit_code == 2 and "--duty" in result.output
    result = runner.invoke(args=["lms", "create-user", "sun.li", "--name", "孙",
                                 "--email", "sun at example.com"])
    assert result.exit_code == 2 and "这不是电子邮箱地址" in result.output
    assert db.scalar(select(User).where(User.username.in_(["qian", "sun.li"]))) is None
