"""JSON API: same role checks and CSRF as the pages, errors as JSON bodies."""

from __future__ import annotations

from flask import current_app, jsonify, request
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from lms.api import bp
from lms.auth.session import current_learner
from lms.db import write_transaction
from lms.services import quizzes
from lms.services.errors import DomainError


def _require_csrf() -> None:
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    try:
        validate_csrf(request.headers.get("X-CSRFToken", ""))
    except ValidationError as error:
        raise CSRFError(str(error)) from None


@bp.errorhandler(DomainError)
def _domain_error(error: DomainError):
    return jsonify(error=type(error).__name__, message=str(error)), error.status


@bp.errorhandler(CSRFError)
def _csrf_error(error: CSRFError):
    return jsonify(error="CSRFError", message=error.description), 400


@bp.route("/attempts/<int:attempt_id>/draft", methods=["POST"])
def save_draft(attempt_id: int):
    """Keep the answers given so far; the page calls this as the trainee answers."""
    user = current_learner()
    if user is None:
        return jsonify(error="Unauthorized", message="sign in first"), 401
    _require_csrf()
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("answers"), dict):
        return jsonify(error="BadRequest", message='expected {"answers": {...}}'), 400
    db = current_app.extensions["lms"].session()
    with write_transaction(db):
        attempt = quizzes.save_draft(db, user, attempt_id, payload["answers"],
                                     grace=current_app.config["LMS_QUIZ_GRACE"])
    return jsonify(saved_at=attempt.draft_saved_at.isoformat())
