"""Security headers on every LMS response (never on the host app's own pages).

No inline script or style is allowed: templates load ``lms/static`` files and pass values in
``data-`` attributes, so an injected ``<script>`` or ``onclick=`` cannot run. Images come from our
own origin unless ``LMS_CSP_IMG_SOURCES`` allows more (a remote image in module text is a
tracking pixel). A host that embeds us widens ``LMS_FRAME_ANCESTORS``.
"""

from __future__ import annotations

from collections.abc import Iterable

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
    headers.setdefault("Content-Security-Policy", content_security_policy(config))
    if (_sources(config["LMS_FRAME_ANCESTORS"]) or [SELF]) == [SELF]:
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    return response
