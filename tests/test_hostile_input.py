"""A NUL byte, which PostgreSQL cannot store in text, is the client's mistake (400) on both
databases, never a server error; the person stays signed in and can carry on."""

from __future__ import annotations

import pytest

from lms.models import Role


@pytest.mark.parametrize("path", ["/courses/a%00b", "/courses/assess/modules/a%00b",
                                  "/admin/people?q=a%00b", "/admin/stats/a%00b",
                                  "/admin/people?a%00=1"])
def test_a_nul_in_the_path_or_query_is_a_bad_request(client, login_as, grant, path):
    grant(login_as(Role.TRAINEE), site=True)
    assert client.get(path).status_code == 400


def post_without_csrf(app, client, path: str, form: dict):
    """Reach the query, not the token check."""
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        return client.post(path, data=form)
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def refused_or_kept(response, backend: str) -> bool:
    """PostgreSQL refuses the value (400); SQLite stores it or the form refuses it."""
    return response.status_code == 400 if backend == "postgresql" else response.status_code < 500


def test_a_nul_in_the_sign_in_form_is_no_server_error(app, client, backend):
    response = post_without_csrf(app, client, "/login", {"username": "a\x00b", "password": "x"})
    assert refused_or_kept(response, backend)


def test_a_nul_in_an_admin_form_is_no_server_error_and_the_admin_carries_on(
        app, client, login_as, grant, backend):
    user = login_as(Role.TRAINEE)
    grant(user, site=True)
    response = post_without_csrf(app, client, "/admin/people/new", {
        "username": "nulname", "display_name": "a\x00b", "role": "trainee", "duty": "member",
        "unit_id": str(user.org_unit_id)})
    assert refused_or_kept(response, backend)
    assert client.get("/admin/people").status_code == 200  # the failed transaction is undone
