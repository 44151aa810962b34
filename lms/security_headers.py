"""Security headers on every LMS response (never on the host app's own pages).

No inline script or style is allowed: templates load ``lms/static`` files and pass values in
``data-`` attributes, so an injected ``<script>`` or ``onclick=`` cannot run. Images come from our
own origin unless ``LMS_CSP_IMG_SOURCES`` allows more (a remote image in module text is a
tracking pixel). A host that embeds us widens ``LMS_FRAME_ANCESTORS``.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from flask import Response, current_app

SELF = "'self'"


def _sources(value: str | Iterable[str] | None) -> list[str]:
    """A setting given as a space-separated string or a list, as CSP source expressions."""
    if not value:
        return []
    return value.split() if isinstance(value, str) else [str(v) for v in value]


def content_security_policy(config) -> str:
    frame_ancestors = _sources(config["LMS_FRAME_ANCESTORS"]) or [SELF]
    directives = {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_sources(config["LMS_CSP_IMG_SOURCES"])],
        "object-src": ["'none'"],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": frame_ancestors,
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def add_security_headers(response: Response) -> Response:
    """An ``after_request`` of the LMS blueprint; a view that set one of these keeps its own."""
    config = current_app.config
    headers = response.headers
    present = {name.lower() for name in headers.keys()}
    headers.extend([(name, value) for name, value in
                    _headers_for(_setting(config["LMS_FRAME_ANCESTORS"]),
                                 _setting(config["LMS_CSP_IMG_SOURCES"]))
                    if name.lower() not in present])
    return response


def _setting(value: str | Iterable[str] | None) -> str | tuple[str, ...] | None:
    """A source setting as a key for ``_headers_for`` (a list is not hashable)."""
    return value if value is None or isinstance(value, str) else tuple(map(str, value))


@lru_cache(maxsize=16)
def _headers_for(frame_ancestors: str | tuple[str, ...] | None,
                 img_sources: str | tuple[str, ...] | None) -> tuple[tuple[str, str], ...]:
    """The headers for these settings, built once rather than for every response."""
    policy = content_security_policy({"LMS_FRAME_ANCESTORS": frame_ancestors,
                                      "LMS_CSP_IMG_SOURCES": img_sources})
    framing = [("X-Frame-Options", "SAMEORIGIN")] if (
        (_sources(frame_ancestors) or [SELF]) == [SELF]) else []
    return (("Content-Security-Policy", policy), *framing,
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "strict-origin-when-cross-origin"))
