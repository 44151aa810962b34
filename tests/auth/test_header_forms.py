"""The header's buttons (sign out, language, large text) work as the page renders them.

The header writes their fields as plain inputs (no form objects per request), so these tests
submit exactly what the page holds, and check a forged or missing token still changes nothing.
"""

from __future__ import annotations

import re

from tests.conftest import CSRF_META

FORM = re.compile(r'<form method="post" action="([^"]+)" class="inline">(.*?)</form>', re.DOTALL)
INPUT = re.compile(r'<input (?:id="[^"]+" )?name="([^"]+)" type="hidden" value="([^"]*)">')


def header_forms(client, page: str) -> dict[str, dict[str, str]]:
    """Each header form's action and the fields a browser would post from ``page``; the page's
    ``<meta>`` token under the key "meta"."""
    html = client.get(page).get_data(as_text=True)
    forms = {action: {name: value.replace("&amp;", "&") for name, value in INPUT.findall(body)}
             for action, body in FORM.findall(html)}
    return {**forms, "meta": {"csrf_token": CSRF_META.search(html).group(1)}}


def test_each_header_button_works_as_rendered(client, login_as):
    login_as()
    forms = header_forms(client, "/?tab=a&b=1")
    assert set(forms) == {"/logout", "/locale", "/display", "meta"}
    assert forms["/locale"]["next"] == forms["/display"]["next"] == "/?tab=a&b=1"
    assert len({fields["csrf_token"] for fields in forms.values()}) == 1

    assert client.post("/locale", data=forms["/locale"]).location == "/?tab=a&b=1"
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    assert client.post("/display", data=header_forms(client, "/")["/display"]).status_code == 302
    assert 'class="large-text"' in client.get("/").get_data(as_text=True)

    assert client.post("/logout", data=header_forms(client, "/")["/logout"]).status_code == 302
    assert client.get("/").status_code == 302  # signed out: home sends to the sign-in page


def test_without_the_pages_token_the_header_buttons_change_nothing(client, login_as):
    login_as()
    forms = header_forms(client, "/")
    for fields in forms.values():  # a token of the right shape, not this session's
        fields["csrf_token"] = fields["csrf_token"][::-1]
    client.post("/locale", data=forms["/locale"])
    client.post("/display", data=forms["/display"])
    client.post("/logout", data={k: v for k, v in forms["/logout"].items() if k != "csrf_token"})
    client.post("/logout", data=forms["/logout"])
    page = client.get("/")
    assert page.status_code == 200, "still signed in"
    html = page.get_data(as_text=True)
    assert '<html lang="zh-CN">' in html and 'class="large-text"' not in html
