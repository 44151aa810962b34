"""The checks every JSON call from a trainee page makes before its service runs: signed in,
the CSRF token in the X-CSRFToken header, and a JSON object body. Errors are JSON too.
(``lms.json_guard`` has bounded the body's size and depth before the view runs.)"""

from __future__ import annotations

import json

from flask import Response, current_app, jsonify, request
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from lms.auth.session import current_learner
from lms.models import User


class JsonRefused(Exception):
    def __init__(self, response: tuple[Response, int]):
        self.response = response


def signed_in_json() -> tuple[User, dict]:
    """The person and the body, or ``JsonRefused`` carrying the 400/401 answer."""
    user = current_learner()
    if user is None:
        raise JsonRefused((jsonify(error="Unauthorized", message="sign in first"), 401))
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        try:
            validate_csrf(request.headers.get("X-CSRFToken", ""))
        except ValidationError as error:
            raise JsonRefused((jsonify(error="CSRFError", message=str(error)), 400)) from None
    payload = None
    if request.is_json:  # else the guard has not bounded it: never parsed
        try:  # NaN and Infinity are not JSON
            payload = json.loads(request.get_data(as_text=True), parse_constant=_not_json)
        except ValueError:
            pass
    if not isinstance(payload, dict):
        raise JsonRefused((jsonify(error="BadRequest", message="expected a JSON object"), 400))
    return user, payload


def _not_json(constant: str) -> float:
    raise ValueError(f"{constant} is not JSON")


def bad_request(message: str) -> tuple[Response, int]:
    return jsonify(error="BadRequest", message=message), 400
