"""``lms_url``: ``url_for`` for the links every page repeats, built once per process.

A page carries a dozen links (the header's, the module's buttons); building each cost about
12 us, together a twentieth of a module page. The same endpoint and values under the same
script root and host always build the same relative URL, unless the app adds values of its
own (``url_defaults``, which may depend on the request): an endpoint with such a function
anywhere on its path is built every time, as are relative endpoints and ``_external`` and
the like, and every URL of an app whose class builds URLs its own way.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request, url_for

#: Kept URLs per app; past it they are dropped and kept anew (ids in URLs are unbounded).
MOST_KEPT = 4096


class KeptUrls:
    """The URLs built so far for one app, and which endpoints may be kept at all."""

    def __init__(self) -> None:
        self.urls: dict[tuple, str] = {}
        self.endpoints: dict[str, bool] = {}

    def keepable(self, app, endpoint: str) -> bool:
        known = self.endpoints.get(endpoint)
        if known is None:
            # Flask refuses new url_defaults once the app has served a request: asked once.
            names = [None, *_blueprint_chain(endpoint)]
            known = type(app).url_for is Flask.url_for and not any(
                app.url_default_functions.get(name) for name in names)
            self.endpoints[endpoint] = known
        return known


def _blueprint_chain(endpoint: str) -> list[str]:
    """"lms.learn.module" → ["lms", "lms.learn"]."""
    parts = endpoint.split(".")[:-1]
    return [".".join(parts[:n]) for n in range(1, len(parts) + 1)]


def lms_url(endpoint: str, **values: Any) -> str:
    """``url_for(endpoint, **values)``, kept when that is certain to build the same URL."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    kept: KeptUrls = app.extensions["lms"].kept_urls
    if endpoint.startswith(".") or any(name.startswith("_") for name in values) \
            or not kept.keepable(app, endpoint):
        return url_for(endpoint, **values)
    environ = request.environ
    # The value's type too: True and 1 are one key but build "True" and "1".
    key = (endpoint, environ.get("SCRIPT_NAME", ""), environ.get("HTTP_HOST", ""),
           *((name, type(value), value) for name, value in values.items()))
    try:
        url = kept.urls.get(key)
    except TypeError:  # a list of query values: not a key
        return url_for(endpoint, **values)
    if url is None:
        url = url_for(endpoint, **values)
        if len(kept.urls) >= MOST_KEPT:
            kept.urls.clear()
        kept.urls[key] = url
    return url
