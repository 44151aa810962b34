"""The standalone application factory used by ``wsgi.py`` and ``make run``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from flask import Flask, has_request_context, request
from werkzeug.middleware.proxy_fix import ProxyFix

from lms.template_cache import keep_compiled_templates


def create_app(config: dict[str, Any] | None = None, instance_path: str | None = None) -> Flask:
    """Build the standalone app: settings from ``config`` then ``LMS_*`` environment variables."""
    from lms.extension import LMS
    from lms.web import render_http_error, template_globals, use_lms_translations

    app = Flask("lms", static_folder=None, instance_path=instance_path,
                instance_relative_config=True)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
    )
    if config:
        app.config.update(config)
    keep_compiled_templates(app)
    LMS(app)
    # Flask's defaults are always present, so "unless the caller set it" is asked of ``config``.
    given = config or {}
    if "SESSION_COOKIE_SECURE" not in given:
        app.config["SESSION_COOKIE_SECURE"] = app.config["LMS_SECURE_COOKIES"]
    if "PERMANENT_SESSION_LIFETIME" not in given:
        app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=app.config["LMS_SESSION_HOURS"])
    hops = app.config["LMS_PROXY_HOPS"]
    if hops > 0:  # only headers the given number of proxies set are believed
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    # Standalone, LMS owns the whole site: pages outside its routes (404, 405) look the same.
    # Its own routes get both from the blueprint; running them twice cost time, not behaviour.
    app.before_request(_outside_lms(use_lms_translations))
    app.context_processor(_outside_lms(template_globals, default={}))
    for status in (404, 405, 413, 500):
        app.register_error_handler(status, render_http_error)

    @app.route("/healthz")
    def healthz():
        return {"status": "ok"}

    return app


def _outside_lms(hook: Callable[[], Any], default: Any = None) -> Callable[[], Any]:
    """Run one of the LMS blueprint's hooks for the app's other requests only."""

    @wraps(hook)
    def run() -> Any:
        if has_request_context() and "lms" in request.blueprints:
            return default
        return hook()

    return run
