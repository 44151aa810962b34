"""Hypothesis drives every LMS route, as a trainee and as a site admin, with hostile path
values, query strings, form bodies and JSON bodies: no answer may be a server error.

Deterministic (``derandomize``, no example database) so CI sees the same inputs each run;
a few examples per route and method keep it to seconds. CSRF is off so that POST handlers
run on the junk instead of stopping at the missing token.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import lms
from lms.models import Role
from tests.conftest import sign_in

SOURCE = "\n".join(path.read_text("utf-8") for path in Path(lms.__file__).parent.rglob("*.py"))
#: Every name a view reads from the query string or a form: the fuzzer fills these in.
NAMES = sorted(set(re.findall(r'request\.(?:args|form)\.get(?:list)?\("(\w+)"', SOURCE))
               | set(re.findall(r"^\s+(\w+) = \w*Field\(", SOURCE, re.MULTILINE))
               | {"page", "q1", "q2", "q3", "score1", "since", "until", "format"})
EXAMPLES = {"sqlite": 6, "postgresql": 3}  # per route and method
SLOW = (".pdf",)  # a PDF takes a second to render and reads nothing hostile but its path

EDGE_INTS = [0, -1, 2**31 - 1, 2**31, 2**53 + 1, 2**62, 2**63 - 1, 2**63, 2**64, -(2**63) - 1]
EDGE_TEXT = ["", " ", "NaN", "-inf", "1e309", "0x1F", "١٢", "\x00", "a\x00b", "9" * 5000,
             "x" * 10_000, "../../etc/passwd", "%00", "<script>", "' OR 1=1 --", "9999-12-31",
             "0001-01-01", "2024-02-30", "true", "null", "[]", "中文" * 200, "\u202e", "\ufeff"]
ints = st.one_of(st.sampled_from(EDGE_INTS), st.integers())
texts = st.one_of(st.sampled_from(EDGE_TEXT), st.text(max_size=40), ints.map(str))
json_scalars = st.one_of(st.none(), st.booleans(), ints, st.floats(), texts)
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.sampled_from(["answers", "q1", "q2", "tab", "seq"]), texts),
                    inner, max_size=4)), max_leaves=12)
#: Shapes the autosave and the heartbeat read, with hostile values inside.
json_shapes = st.one_of(
    json_values,
    st.fixed_dictionaries({"answers": st.dictionaries(st.sampled_from(["q1", "q2", "q3"]),
                                                      json_values, max_size=3)}),
    st.fixed_dictionaries({"tab": texts, "seq": json_values},
                          optional={"sent_at": json_values, "position": json_values}))
#: Named, so a failing example prints the name and not 100 000 brackets.
RAW_BODIES = {"100k [": "[" * 100_000, "100k {": "{" * 100_000,
              "50k answers": '{"answers": ' * 50_000, "21 deep": "[" * 21 + "]" * 21,
              "1e999": '{"seq": 1e999}', "5000 digits": '{"seq": ' + "9" * 5000 + "}",
              "NUL": "\x00", "empty": "", "null": "null", "not UTF-8": b"\xff\xfe",
              "lone surrogate": '{"answers": {"q1": "\\ud800"}}', "2 MB": " " * 2_000_000}
bodies = st.one_of(
    st.tuples(st.just("form"), st.dictionaries(st.sampled_from(NAMES), st.one_of(
        texts, st.lists(texts, max_size=3)), max_size=6)),
    st.tuples(st.just("json"), json_shapes.map(json.dumps)),
    st.tuples(st.just("raw"), st.sampled_from(sorted(RAW_BODIES))))
queries = st.dictionaries(st.sampled_from(NAMES), texts, max_size=4)


def routes(app) -> list[tuple[str, str, dict[str, str]]]:
    """(rule, method, converter name of each argument) for every LMS route but logout."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("lms.") or rule.endpoint in ("lms.static",
                                                                     "lms.auth.logout"):
            continue
        kinds = {name: type(converter).__name__ for name, converter in rule._converters.items()}
        found += [(rule.rule, method, kinds) for method in sorted(rule.methods - {"HEAD",
                                                                                   "OPTIONS"})]
    return found


def path_values(kinds: dict[str, str], real: dict[str, list[str]]):
    """Each argument: a real value (so the rest reaches deep) or a hostile one."""
    return st.fixed_dictionaries({
        name: st.one_of(st.sampled_from(real.get(name) or ["x"]),
                        ints.map(str) if kind == "IdConverter" else texts)
        for name, kind in kinds.items()})


def fill(rule: str, values: dict[str, str]) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: quote(values[m.group(1)], safe=""), rule)


@pytest.mark.parametrize("role", ["trainee", "site_admin"])
def test_no_hostile_input_gets_a_server_error(app, backend, client, make_user, grant, role):
    user, password = make_user(Role.TRAINEE)
    other, _ = make_user(Role.TRAINEE)  # the person the admin pages act on: not oneself
    if role == "site_admin":
        grant(user, site=True)
    assert sign_in(client, user.username, password).status_code == 302
    quiz = client.get("/courses/assess/modules/written/quiz").get_data(as_text=True)
    real = {"slug": ["assess"], "course_slug": ["assess"], "module_slug": ["written"],
            "attempt_id": re.findall(r'data-attempt="(\d+)"', quiz),
            "person_id": [str(other.id)], "user_id": [str(other.id)],
            "unit_id": [str(other.org_unit_id)], "kind": ["xlsx"], "fmt": ["csv"]}
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        for rule, method, kinds in routes(app):
            examples = 2 if rule.endswith(SLOW) and not kinds else EXAMPLES[backend]
            poke(client, rule, method, kinds, real, examples)
            if client.get("/account").status_code != 200:  # a route signed us out: back in
                assert sign_in(client, user.username, password).status_code == 302, rule
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def poke(client, rule: str, method: str, kinds: dict[str, str], real, examples: int) -> None:
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(values=path_values(kinds, real), query=queries, body=bodies)
    # Always tried too: real path values with a NUL in every field (PostgreSQL refuses NUL).
    @example(values={name: (real.get(name) or ["x"])[0] for name in kinds},
             query={},
             body=("form", {name: "a\x00b" for name in NAMES}))
    def one(values, query, body):
        path = fill(rule, values) + "?" + urlencode(query, doseq=True)
        kind, data = body
        data = RAW_BODIES[data] if kind == "raw" else data
        if kind == "form" or method == "GET":
            response = client.open(path, method=method, data=data if kind == "form" else None)
        else:
            response = client.open(path, method=method, data=data,
                                   content_type="application/json")
        assert response.status_code < 500, (method, path[:300], str(body)[:300],
                                            response.status_code)

    one()
