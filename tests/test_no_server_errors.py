"""Every LMS route, poked with odd input by every kind of user, answers below 500."""

from __future__ import annotations

import re

import pytest
from werkzeug.routing import IntegerConverter

from lms.models import Role

ODD_VALUES = {"int": ["0", str(2**63), "999999"], "default": ["no-such-thing", "%E4%B8%AD", "x" * 300]}
REAL_VALUES = {"slug": ["assess"], "module_slug": ["written", "scoring"], "kind": ["xlsx", "gift"]}
#: Pages and dates at the edge of what the types hold, one at a time.
EDGES = [f"?page={2**62}", "?since=9999-12-31&until=9999-12-31",
         "?from=9999-12-20&to=9999-12-31", f"?unit={2**63}", "?from=0001-01-01&to=0001-01-02"]
ODD_FORMS = [{}, {"q1": "abc", "q2": ["9", "9"], "page": "-1"}, {"score1": "NaN", "payload": "x"}]


def urls(app, attempt_ids: list[str]) -> list[tuple[str, set[str], bool]]:
    """Each route once with real values, then with each argument in turn given every other
    value (odd ones and the other real ones) while the rest stay real: an odd value reaches
    as deep into the view as it can, without a cross product of every argument's values."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("lms.") or rule.endpoint == "lms.static":
            continue
        values = {}
        for argument in rule.arguments:
            numeric = isinstance(rule._converters[argument], IntegerConverter)
            real = REAL_VALUES.get(argument, attempt_ids if argument == "attempt_id" else [])
            values[argument] = real + ODD_VALUES["int" if numeric else "default"][:2]
        base = {argument: options[0] for argument, options in values.items()}
        variants = [base] + [{**base, argument: value} for argument, options in values.items()
                             for value in options[1:]]
        for number, variant in enumerate(variants):
            path = re.sub(r"<(?:\w+:)?(\w+)>", lambda match, values=variant: values[match.group(1)],
                          rule.rule)
            found.append((path, rule.methods - {"HEAD", "OPTIONS"}, number == 0))
    return sorted(found, key=lambda item: item[0] == "/logout")  # stay signed in to the end


@pytest.mark.parametrize("role", [None, Role.TRAINEE, Role.TRAINER, "site_admin"])
def test_no_route_answers_with_a_server_error(app, client, login_as, grant, role):
    attempt_ids = []
    if role == "site_admin":  # reaches past every permission check into the admin room
        grant(login_as(Role.TRAINEE), site=True)
    elif role is not None:
        login_as(role)
        page = client.get("/courses/assess/modules/written/quiz").get_data(as_text=True)
        attempt_ids = re.findall(r'data-attempt="(\d+)"', page)
    try:
        for csrf in (True, False):  # without CSRF the POST handlers run on the junk too
            app.config["WTF_CSRF_ENABLED"] = csrf
            poke_everything(client, urls(app, attempt_ids))
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def poke_everything(client, found: list[tuple[str, set[str], bool]]) -> None:
    for path, methods, real in found:
        for method in methods:
            forms = ODD_FORMS if method == "POST" else [{}]
            for form in forms:
                response = client.open(path, method=method, data=form)
                assert response.status_code < 500, (method, path, form, response.status_code)
                response = client.open(path + "?page=abc&next=//evil&format=x", method=method,
                                       json={"answers": {"q1": [1, 2]}})
                assert response.status_code < 500, (method, path, "json", response.status_code)
            for edge in EDGES if "GET" in methods and real else ():  # where a page renders
                response = client.get(path + edge)
                assert response.status_code < 500, ("GET", path, edge, response.status_code)
