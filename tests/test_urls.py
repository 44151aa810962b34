"""Links built once per process (``lms_url``) are the links ``url_for`` builds for the request
at hand: under another script root, or in a host that adds values per request, they change."""

from __future__ import annotations

from flask import Flask, request, url_for

from lms import LMS, HostUser
from lms.urls import lms_url
from tests.test_extension import make_host


def test_links_follow_the_script_root_each_request_is_served_under(app, client):
    for root in ("/first", "/second", "/first"):
        page = client.get("/login", base_url=f"http://localhost{root}").get_data(as_text=True)
        assert f'class="brand" href="{root}/"' in page
        assert f'href="{root}/assets/lms.css"' in page


def test_links_carry_what_a_hosts_url_defaults_add_to_this_request(tmp_path):
    signed_in = {"user": HostUser(external_id="hr-8", username="hr8", display_name="孙八")}
    host, _ = make_host(tmp_path, user_loader=lambda: signed_in["user"])

    @host.url_defaults
    def _language(endpoint, values):  # as a host keeping the reader's language in URLs
        if endpoint.startswith("lms.learn."):
            values.setdefault("lang", request.args.get("lang", "zh"))

    client = host.test_client()
    try:
        for lang in ("en", "zh", "en"):
            page = client.get(f"/training/courses/jiceng-dangjian?lang={lang}")
            assert f'class="brand" href="/training/?lang={lang}"' in page.get_data(as_text=True)
        with host.test_request_context("/training/?lang=en"):
            assert url_for("lms.learn.home") == "/training/?lang=en"
    finally:
        host.extensions["lms"].engine.dispose()


def test_equal_values_of_another_type_build_their_own_link(app):
    with app.test_request_context("/"):
        assert lms_url("lms.learn.notices", page=1).endswith("?page=1")
        assert lms_url("lms.learn.notices", page=True).endswith("?page=True")
        assert lms_url("lms.learn.notices", page=1).endswith("?page=1")


def test_a_host_that_builds_urls_its_own_way_gets_its_links(tmp_path):
    class SignedUrls(Flask):  # as a host adding a signature to every link it builds
        calls = 0

        def url_for(self, endpoint, **values):
            SignedUrls.calls += 1
            return f"{super().url_for(endpoint, **values)}#v{SignedUrls.calls}"

    host = SignedUrls(__name__)
    host.config.update(SECRET_KEY="k" * 32, LMS_DATABASE_URL=f"sqlite:///{tmp_path / 'h.db'}")
    LMS(host)
    try:
        with host.test_request_context("/"):
            assert lms_url("lms.learn.home") != lms_url("lms.learn.home")
    finally:
        host.extensions["lms"].engine.dispose()
