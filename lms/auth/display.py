"""长辈模式 (large text mode): switched by each person, remembered on them and the device.

A signed-in person's choice is kept on their row, so it follows them to other devices; a
long-lived cookie keeps it on this device too, so the sign-in page is large before anyone
signs in (and after they sign out). Either one turns the mode on; the switch sets both.
"""

from __future__ import annotations

from flask import current_app, redirect, request

from lms.auth import bp
from lms.auth.forms import DisplayForm
from lms.auth.session import current_learner
from lms.auth.views import _safe_next
from lms.services.display import set_large_text

COOKIE = "lms_large_text"
COOKIE_MAX_AGE = 400 * 24 * 3600  # the most a browser keeps a cookie


def large_text_on() -> bool:
    """Whether this page is drawn in large text mode (``lms_large_text`` in templates)."""
    user = current_learner()
    return bool(user is not None and user.large_text) or request.cookies.get(COOKIE) == "1"


@bp.route("/display", methods=["POST"])
def choose_display():
    form = DisplayForm()
    if not (form.validate_on_submit() and form.large_text.data in ("0", "1")):
        return redirect(_safe_next(form.next.data))
    on = form.large_text.data == "1"
    user = current_learner()
    if user is not None and user.large_text != on:
        set_large_text(current_app.extensions["lms"].session(), user, on)
    response = redirect(_safe_next(form.next.data))
    response.set_cookie(COOKIE, "1" if on else "0", max_age=COOKIE_MAX_AGE, httponly=True,
                        samesite="Lax", secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response
