"""Behind nginx the standalone app believes X-Forwarded-* only from the proxies it was told of."""

from __future__ import annotations

import pytest
from flask import request

from lms import create_app

FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}


def _seen(tmp_path, **config):
    app = create_app({"SECRET_KEY": "x", "LMS_DATABASE_URL": f"sqlite:///{tmp_path / 'lms.db'}",
                      **config})
    app.add_url_rule("/who", "who", lambda: f"{request.remote_addr} {request.scheme}")
    return app.test_client().get("/who", headers=FORWARDED,
                                 environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_data(as_text=True)


@pytest.mark.parametrize(("hops", "seen"), [(0, "127.0.0.1 http"), (1, "203.0.113.7 https")])
def test_forwarded_headers_count_only_behind_the_configured_proxies(tmp_path, hops, seen):
    # Without a proxy a client could claim any address and dodge the per-address sign-in limit.
    assert _seen(tmp_path, LMS_PROXY_HOPS=hops) == seen
