"""Form fields tell screen readers the truth: invalid only after an error, described by text
that is on the page."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from flask import render_template_string

from tests.conftest import csrf_token

NONE_ATTRIBUTE = re.compile(r"""\s([\w:-]+)=["']?None["'\s>]""")


class Elements(HTMLParser):
    """Every element's attributes, and the text inside each element that has an id."""

    def __init__(self, html: str):
        super().__init__()
        self.attrs: list[dict[str, str | None]] = []
        self.text: dict[str, str] = {}
        self._open: list[str | None] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.attrs.append({"tag": tag, **attributes})
        if tag not in ("input", "meta", "link", "br", "img", "hr"):
            self._open.append(attributes.get("id"))
            if attributes.get("id"):
                self.text.setdefault(attributes["id"], "")

    def handle_endtag(self, tag):
        if self._open:
            self._open.pop()

    def handle_data(self, data):
        for element_id in filter(None, self._open):
            self.text[element_id] += data

    def by_id(self, element_id: str) -> dict[str, str | None]:
        (found,) = [a for a in self.attrs if a.get("id") == element_id]
        return found


def test_untouched_login_fields_are_neither_invalid_nor_described_by_nothing(client):
    html = client.get("/login").get_data(as_text=True)
    assert NONE_ATTRIBUTE.findall(html) == []
    page = Elements(html)
    for name in ("username", "password"):
        field = page.by_id(name)
        assert "aria-invalid" not in field and "aria-describedby" not in field, field


def test_an_invalid_sign_in_marks_the_fields_and_points_at_the_messages(client):
    response = client.post("/login", data={"username": "", "password": "",
                                           "csrf_token": csrf_token(client)})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert NONE_ATTRIBUTE.findall(html) == []
    page = Elements(html)
    for name in ("username", "password"):
        field = page.by_id(name)
        assert field["aria-invalid"] == "true", field
        described = field["aria-describedby"].split()
        assert described, field
        for element_id in described:
            assert page.text.get(element_id, "").strip(), f"{element_id} is not on the page"
        assert any("必填" in page.text[element_id] for element_id in described)


def test_help_text_describes_the_field_and_an_error_is_added_to_it(app):
    from lms.auth.forms import LoginForm

    template = ('{% from "lms/_macros.html" import field %}'
                '{{ field(form.username, help="填写培训管理员分配的账号") }}')
    with app.test_request_context("/login"):
        form = LoginForm()
        untouched = Elements(render_template_string(template, form=form))
        form.username.errors = ["请输入用户名"]
        invalid = Elements(render_template_string(template, form=form))
    field = untouched.by_id("username")
    assert "aria-invalid" not in field
    assert untouched.text[field["aria-describedby"]] == "填写培训管理员分配的账号"
    field = invalid.by_id("username")
    assert field["aria-invalid"] == "true"
    texts = [invalid.text[element_id] for element_id in field["aria-describedby"].split()]
    assert texts == ["填写培训管理员分配的账号", "请输入用户名"]


def test_the_sign_in_page_has_no_duplicate_field_ids(client):
    html = client.get("/login").get_data(as_text=True)
    ids = [i for i in re.findall(r'\sid="([^"]+)"', html) if i != "csrf_token"]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_wtforms_own_messages_follow_each_persons_language(app):
    """WTForms' catalog is kept per locale for the process, never one person's for another."""
    def empty_sign_in(client) -> str:
        response = client.post("/login", data={"username": "", "password": "",
                                               "csrf_token": csrf_token(client)})
        return response.get_data(as_text=True)

    chinese, english = app.test_client(), app.test_client()
    english.post("/locale", data={"locale": "en", "next": "/login",
                                  "csrf_token": csrf_token(english)})
    for _ in range(2):  # each after the other has used its own catalog
        assert "必填" in empty_sign_in(chinese)
        page = empty_sign_in(english)
        assert "This field is required." in page and "必填" not in page
