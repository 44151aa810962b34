"""Integers from a URL are bounded before a view or the database sees them: an id no row can
have is a 404 (2**63 overflowed SQLite's integer, a 500), and every id route says so."""

from __future__ import annotations

import re

import pytest
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

from lms.request_args import MAX_ID, IdConverter

QUIZ = "/courses/assess/modules/written/quiz"


def test_every_integer_in_an_lms_url_is_a_bounded_id(app):
    plain = [rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("lms.")
             for converter in rule._converters.values()
             if isinstance(converter, IntegerConverter) and not isinstance(converter,
                                                                           IdConverter)]
    assert plain == [], "use <lms_id:name>, not <int:name>"


@pytest.mark.parametrize("attempt_id", [str(2**63), str(MAX_ID + 1), "0", "00", "9" * 11,
                                        "9" * 5000, "-1", "\u0661"])
def test_an_attempt_id_no_row_can_have_is_not_found(client, login_as, attempt_id):
    login_as("trainee")
    page = client.get(QUIZ).get_data(as_text=True)
    own = re.search(r'data-attempt="(\d+)"', page).group(1)
    assert client.get(f"/courses/assess/modules/written/attempts/{own}/submit").status_code \
        == 302  # the real one still routes
    assert client.get(f"/courses/assess/modules/written/attempts/{attempt_id}").status_code \
        == 404
    assert client.post(f"/attempts/{attempt_id}/draft", json={"answers": {}}).status_code == 404


def test_ids_route_from_1_to_the_largest_integer_column_value(app):
    urls = app.url_map.bind("localhost")
    assert urls.match("/attempts/1/draft", method="POST")[1] == {"attempt_id": 1}
    assert urls.match(f"/attempts/{MAX_ID}/draft", method="POST")[1] == {"attempt_id": MAX_ID}
    for beyond in ("0", str(MAX_ID + 1)):
        with pytest.raises(NotFound):
            urls.match(f"/attempts/{beyond}/draft", method="POST")


@pytest.mark.parametrize("query, status", [(f"unit={2**63}", 404), ("unit=0", 404),
                                           ("unit=abc", 200), ("unit=", 200)])
def test_a_unit_filter_out_of_range_is_not_found_and_junk_is_ignored(client, login_as, grant,
                                                                     query, status):
    grant(login_as("trainee"), site=True)
    assert client.get(f"/admin/people?{query}").status_code == status
    assert client.get(f"/admin/stats/assess/overdue?{query}").status_code == status
