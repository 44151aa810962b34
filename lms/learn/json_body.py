"""The checks every JSON call from a trainee page makes before its service runs: signed in,
the CSRF token in the X-CSRFToken header, and a JSON object body. Errors are JSON too."""

from __future__ import annotations

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
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise JsonRefused((jsonify(error="BadRequest", message="expected a JSON object"), 400))
    return user, payload


def bad_request(message: str) -> tuple[Response, int]:
    return jsonify(error="BadRequest", message=message), 400
