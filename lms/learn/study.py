"""The module page's heartbeat: active study time and the place last read."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from flask import current_app, jsonify

from lms.json_guard import accepts_json
from lms.learn import bp
from lms.learn.json_body import JsonRefused, bad_request, signed_in_json
from lms.services import study_time
from lms.services.course_views import module_of, published_course

TAB_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
MAX_SEQ = 2**31 - 1


@bp.route("/courses/<slug>/modules/<module_slug>/beat", methods=["POST"])
@accepts_json
def study_beat(slug: str, module_slug: str):
    """JSON ``{"tab": "…", "seq": 3, "sent_at": ms, "position": 0.42}``; the course hook
    (lms.learn.access) has checked the person may study this course."""
    try:
        user, payload = signed_in_json()
        beat = _beat(payload)
    except JsonRefused as refused:
        return refused.response
    state = current_app.extensions["lms"]
    db = state.session()
    module = module_of(published_course(db, slug), module_slug)
    config = current_app.config
    result = study_time.record_beat(db, user, module, beat,
                                    beat_cap=config["LMS_STUDY_BEAT_CAP_SECONDS"],
                                    cap_multiple=config["LMS_STUDY_TIME_CAP_MULTIPLE"])
    return jsonify(credited=result.credited, seconds_active=result.seconds_active,
                   ignored=result.ignored)


def _beat(payload: dict[str, Any]) -> study_time.Beat:
    tab, seq = payload.get("tab"), payload.get("seq")
    if not (isinstance(tab, str) and 0 < len(tab) <= study_time.TAB_LENGTH
            and set(tab) <= TAB_CHARACTERS):
        raise JsonRefused(bad_request("tab must be 1 to 32 letters, digits, - or _"))
    if not (isinstance(seq, int) and not isinstance(seq, bool) and 0 < seq <= MAX_SEQ):
        raise JsonRefused(bad_request("seq must be a whole number from 1"))
    return study_time.Beat(tab, seq, _sent_at(payload.get("sent_at")),
                           _number(payload.get("position"), "position", 0, 1))


def _sent_at(value: Any) -> datetime | None:
    milliseconds = _number(value, "sent_at", 0, 10**14)
    return None if milliseconds is None else datetime.fromtimestamp(milliseconds / 1000, UTC)


def _number(value: Any, name: str, low: float, high: float) -> float | None:
    if value is None:
        return None
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or not math.isfinite(value) or not low <= value <= high):
        raise JsonRefused(bad_request(f"{name} must be a number from {low} to {high}"))
    return float(value)
