"""Co-authors: an author adds another trainer, who may then edit; nobody else may."""

from __future__ import annotations

from sqlalchemy import select

from lms.models import Grant, GrantKind
from tests.author.test_course_editor import create, draft_url
from tests.conftest import csrf_token, post_form, sign_in

AUTHORS = "/author/courses/xin-kecheng/authors"


def test_an_author_adds_a_trainer_who_can_then_edit(client, login_as, make_user, db):
    login_as("trainer")
    create(client)
    colleague, password = make_user("trainer", username="tongshi", name="同事讲师")
    added = post_form(client, AUTHORS, {"username": "tongshi"},
                      token_from=draft_url())
    assert added.status_code == 303
    assert "同事讲师" in client.get(draft_url()).get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    sign_in(client, "tongshi", password)
    assert client.get(draft_url()).status_code == 200


def test_only_active_trainers_are_added_and_the_form_says_why(client, login_as, make_user):
    login_as("trainer")
    create(client)
    make_user("trainee", username="xueyuan")
    response = post_form(client, AUTHORS, {"username": "xueyuan"},
                         token_from=draft_url())
    assert response.status_code == 400 and "没有使用此用户名" in response.get_data(as_text=True)


def test_authors_remove_others_but_not_themselves(client, login_as, make_user, db):
    me = login_as("trainer")
    create(client)
    colleague, _ = make_user("trainer", username="tongshi")
    post_form(client, AUTHORS, {"username": "tongshi"}, token_from=draft_url())
    post_form(client, f"{AUTHORS}/{me.id}/remove", {}, token_from=draft_url())
    post_form(client, f"{AUTHORS}/{colleague.id}/remove", {},
              token_from=draft_url())
    holders = set(db.scalars(select(Grant.user_id).where(
        Grant.kind == GrantKind.COURSE_AUTHOR)))
    assert me.id in holders and colleague.id not in holders


def test_a_trainer_who_is_not_an_author_cannot_add_authors(client, login_as, grant):
    login_as("trainer")
    url = "/author/courses/jiceng-dangjian/authors"
    response = post_form(client, url, {"username": "x"}, token_from="/author/")
    assert response.status_code == 403
