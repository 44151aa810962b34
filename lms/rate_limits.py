"""Limits on password guessing, per account and per client address (Flask-Limiter).

A view that checks a password is marked with :func:`password_guarded` and calls
:func:`note_wrong_password` when the password was wrong. Only wrong passwords count, so a
trainee's own sign-ins never use up a limit and a shared office address is not locked by
people who typed theirs right; once a limit is reached, every POST to that view is refused
(even with the right password) before any password is checked.

Each LMS app gets a ``Limiter`` of its own (``install``, from ``LMS.init_app``) that wraps only
the marked views: a host's own Flask-Limiter and its limits on other routes are left alone.
The count lives in ``LMS_RATELIMIT_STORAGE_URI`` (memory per process; Redis shared by every
worker). Counting after the response lets as many guesses through at once as the server takes
requests in parallel, never more.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from flask import Flask, g, jsonify, make_response, render_template, request
from flask_limiter import Limiter, RateLimitExceeded, RequestLimit
from flask_limiter.util import get_remote_address
from limits import parse_many

from lms.json_guard import wants_json

GUARD = "_lms_account_key"


def password_guarded(account_key: Callable[[], str]):
    """Mark a view whose POSTs check a password; ``account_key`` names the account tried."""

    def mark(view):
        setattr(view, GUARD, account_key)
        return view

    return mark


def note_wrong_password() -> None:
    """Count this request against the account's and the address's limits."""
    g.lms_wrong_password = True


def _wrong_password(_response) -> bool:
    return g.get("lms_wrong_password", False)


def _never_ours() -> bool:
    return True


def _address() -> str:
    return "address:" + (get_remote_address() or "-")


def _remember_retry(limit: RequestLimit) -> None:
    g.lms_retry_after = max(1, math.ceil(limit.window[0] - time.time()))


def install(app: Flask) -> Limiter | None:
    """Wrap the app's password-checking views in limits, unless ``LMS_RATELIMIT_ENABLED`` is off."""
    config = app.config
    if not config["LMS_RATELIMIT_ENABLED"]:
        return None
    per_account, per_address = config["LMS_RATELIMIT_ACCOUNT"], config["LMS_RATELIMIT_ADDRESS"]
    parse_many(per_account), parse_many(per_address)  # a typo stops the start, not a sign-in
    limiter = Limiter(
        _address, storage_uri=config["LMS_RATELIMIT_STORAGE_URI"], strategy="moving-window",
        key_prefix="lms", headers_enabled=False, on_breach=_remember_retry,
        request_identifier=lambda: request.endpoint or "",
        # A host's RATELIMIT_DEFAULT / _APPLICATION settings are its own limiter's business.
        default_limits_exempt_when=_never_ours, application_limits_exempt_when=_never_ours,
        # Redis unreachable: count in this process's memory and log, rather than fail sign-in.
        swallow_errors=True, in_memory_fallback_enabled=True,
    )
    limiter.init_app(app)
    guarded = set()
    for endpoint, view in list(app.view_functions.items()):
        account_key = getattr(view, GUARD, None)
        if account_key is None:
            continue
        for limits, key in ((per_account, _account_key(account_key)), (per_address, _address)):
            view = limiter.limit(limits, key_func=key, methods=["POST"],
                                 deduct_when=_wrong_password)(view)
        app.view_functions[endpoint] = view
        guarded.add(endpoint)
    limiter.request_filter(lambda: request.endpoint not in guarded)
    return limiter


def _account_key(account_key: Callable[[], str]) -> Callable[[], str]:
    """"account:wang" whatever the case or spaces typed (an address is never an account)."""
    return lambda: "account:" + (account_key() or "").strip().casefold()[:100]


def too_many_attempts(error: RateLimitExceeded):
    """The 429 page (or JSON) in the UI's language, with ``Retry-After`` in seconds."""
    seconds = g.get("lms_retry_after") or int(error.limit.limit.get_expiry())
    if wants_json():
        response = jsonify(error=429, retry_after=seconds)
    else:
        response = make_response(render_template("lms/errors/error.html", status=429,
                                                 minutes=math.ceil(seconds / 60)))
    response.status_code = 429
    response.headers["Retry-After"] = str(seconds)
    return response
