"""JSON bodies bounded before anything parses them.

Python's ``json.loads`` recurses once per ``[`` or ``{``: 100 000 of them end in a
RecursionError, a 500. Flask-WTF parses any JSON body posted to a form as the form's data, so
every POST route is exposed, not only the autosave. Every LMS request is checked here first:
a JSON body goes only to the views marked ``@accepts_json`` (the rest take forms, 415), at
most MAX_BYTES of UTF-8 (413) nested at most MAX_DEPTH deep (400), counted on the raw text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from flask import Response, current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

#: A quiz's draft holds at most a few long answers; the heartbeat is a few dozen bytes.
MAX_BYTES = 1024 * 1024
#: The pages send objects of lists at most three deep.
MAX_DEPTH = 20
#: A JSON string, escapes included, so brackets inside an answer are not counted.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")

View = TypeVar("View", bound=Callable)


def wants_json() -> bool:
    """Whether the request is one of a page's background calls (an autosave, a heartbeat),
    which read a JSON answer, errors included, rather than a page or a redirect."""
    return request.accept_mimetypes.best == "application/json" or request.is_json


def accepts_json(view: View) -> View:
    """Mark a view that reads a JSON body (put it under ``@bp.route``)."""
    view.lms_accepts_json = True  # type: ignore[attr-defined]
    return view


def guard_json_bodies() -> tuple[Response, int] | None:
    """``before_request`` of the LMS blueprint: refuse a JSON body no view should parse."""
    if request.method in ("GET", "HEAD", "OPTIONS") or not request.is_json:
        return None
    view = current_app.view_functions.get(request.endpoint or "")
    if not getattr(view, "lms_accepts_json", False):
        return refusal(415, "UnsupportedMediaType", "this address takes a form, not JSON")
    configured = request.max_content_length  # the host's limit, if any, still holds
    request.max_content_length = min(MAX_BYTES, configured) if configured else MAX_BYTES
    try:
        text = request.get_data(cache=True).decode("utf-8")
    except RequestEntityTooLarge:
        return refusal(413, "PayloadTooLarge", f"at most {MAX_BYTES} bytes of JSON")
    except UnicodeDecodeError:
        return refusal(400, "BadRequest", "JSON must be UTF-8")
    if nesting(text) > MAX_DEPTH:
        return refusal(400, "BadRequest", f"JSON nested deeper than {MAX_DEPTH}")
    return None


def nesting(text: str) -> int:
    """How deep arrays and objects nest outside strings; counting stops past MAX_DEPTH."""
    depth = deepest = 0
    for bracket in _BRACKET.finditer(_STRING.sub('""', text)):
        depth += 1 if bracket[0] in "[{" else -1
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
    return deepest


def refusal(status: int, error: str, message: str) -> tuple[Response, int]:
    return jsonify(error=error, message=message), status
