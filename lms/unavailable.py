"""A 503 that asks to retry while the database is down, restarting or unreachable.

When PostgreSQL restarts (an upgrade, a failover) or SQLite stays locked past its busy
timeout, every view fails on its first query. The trainee should see a calm page in the UI's
language, never a traceback, and come back by themselves: the pool replaces dead connections
once the database answers again (lms/connection_check.py).

The page is rendered from the template alone, without the context processors: the usual
header asks the database who is signed in, and that would fail the same way.
"""

from __future__ import annotations

from flask import current_app, jsonify, request
from sqlalchemy.exc import DBAPIError

from lms.json_guard import wants_json

#: Seconds a client is asked to wait before retrying (a PostgreSQL restart takes a few).
RETRY_AFTER_SECONDS = 10


def database_unavailable(error: DBAPIError):
    """Answer 503 with Retry-After; JSON for the page's background calls, else a page."""
    current_app.logger.warning("database unavailable on %s: %s", request.path,
                               getattr(error, "orig", None) or error)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    if wants_json():
        return jsonify(error=503, retry_after=RETRY_AFTER_SECONDS), 503, headers
    from lms.web import ui_locale  # lms.web registers this handler

    template = current_app.jinja_env.get_template("lms/errors/unavailable.html")
    return template.render(lms_locale=ui_locale()), 503, headers
