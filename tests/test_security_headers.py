"""Security headers on every LMS page, a CSP no inline script gets through, and templates with
no inline script or style for it to block."""

from __future__ import annotations

import re

import pytest

from lms.resources import resource_dir
from tests.conftest import csrf_token
from tests.test_extension import make_host

TRACKER = "https://tracker.example.net/pixel.gif"


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";"))}


def assert_secured(response) -> None:
    csp = directives(response)
    assert csp["script-src"] == ["'self'"] and csp["default-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'self'"] and csp["img-src"] == ["'self'", "data:"]
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_every_kind_of_page_carries_the_headers(client, login_as, grant, make_course):
    made = make_course([{"minutes": 5}])
    assert_secured(client.get("/login"))
    assert_secured(client.get("/verify/NO-SUCH-CODE"))
    user = login_as("trainer")
    grant(user, site=True)
    for path in ("/", made.modules[0].url, "/admin/", "/author/"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert_secured(page)
    url = made.modules[0].url
    beat = client.post(url + "/beat", json={"tab": "t", "seq": 1},
                       headers={"X-CSRFToken": csrf_token(client, url)})
    assert beat.status_code == 200 and beat.is_json
    assert_secured(beat)


def test_a_remote_image_in_module_text_renders_but_may_not_load(client, login_as, make_course,
                                                                app, monkeypatch):
    made = make_course([{"text": f"学习内容。\n\n![统计]({TRACKER})"}])
    login_as()
    page = client.get(made.modules[0].url)
    assert TRACKER in page.get_data(as_text=True)
    assert "tracker.example.net" not in " ".join(directives(page)["img-src"])
    monkeypatch.setitem(app.config, "LMS_CSP_IMG_SOURCES", "https://img.example.cn")
    allowed = directives(client.get(made.modules[0].url))["img-src"]
    assert allowed == ["'self'", "data:", "https://img.example.cn"]


def test_a_host_that_embeds_lms_widens_frame_ancestors_and_drops_x_frame_options(
        client, app, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_FRAME_ANCESTORS", "'self' https://portal.example.cn")
    page = client.get("/login")
    assert directives(page)["frame-ancestors"] == ["'self'", "https://portal.example.cn"]
    assert "X-Frame-Options" not in page.headers



def test_a_header_a_view_set_itself_is_kept_and_the_rest_added_once(app, monkeypatch):
    from flask import Response

    from lms.security_headers import add_security_headers

    monkeypatch.setitem(app.config, "LMS_CSP_IMG_SOURCES", ["https://img.example.cn"])
    with app.test_request_context("/"):
        own = Response(headers={"content-security-policy": "sandbox", "X-Frame-Options": "DENY"})
        headers = add_security_headers(add_security_headers(own)).headers
        plain = add_security_headers(Response()).headers
    assert headers.getlist("Content-Security-Policy") == ["sandbox"]
    assert headers.getlist("X-Frame-Options") == ["DENY"]
    assert headers.getlist("Referrer-Policy") == ["strict-origin-when-cross-origin"]
    assert directives(Response(headers=plain))["img-src"] == ["'self'", "data:",
                                                              "https://img.example.cn"]

def test_the_host_apps_own_pages_are_left_alone(tmp_path):
    host, _ = make_host(tmp_path)
    client = host.test_client()
    assert "Content-Security-Policy" not in client.get("/").headers
    assert_secured(client.get("/training/login"))


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle\s*=|<style\b", re.IGNORECASE)
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def templates():
    root = resource_dir("templates")
    return sorted(root.rglob("*.html"))


@pytest.mark.parametrize("pattern", [INLINE_SCRIPT, EVENT_HANDLER, INLINE_STYLE],
                         ids=["script", "on-handler", "style"])
def test_no_template_has_inline_code_the_policy_would_block(pattern):
    found = [f"{path.name}: {match.group(0).strip()}" for path in templates()
             # PDF templates go to WeasyPrint, which reads no CSP.
             if "print" not in path.parts
             for match in pattern.finditer(JINJA.sub("", path.read_text("utf-8")))]
    assert templates() and found == []
