"""The root blueprint that nests every audience's blueprint under one URL prefix.

Endpoint names are the same standalone and mounted (``lms.learn.module``), and errors from
any LMS view are rendered here in the UI's language.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template
from flask_babel import get_locale
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import generate_csrf
from jinja2 import ChoiceLoader, FileSystemLoader
from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from lms.admin import bp as admin_bp
from lms.api import bp as api_bp
from lms.auth import bp as auth_bp
from lms.auth.display import large_text_on
from lms.auth.session import current_can, current_learner, current_scope
from lms.author import bp as author_bp
from lms.hostile_input import refuse_nul_bytes, value_refused_by_database
from lms.json_guard import guard_json_bodies, wants_json
from lms.learn import bp as learn_bp
from lms.plugins import QuestionTypeRegistry
from lms.public import bp as public_bp
from lms.questions.details import prompt_html, prompt_text
from lms.rate_limits import too_many_attempts
from lms.resources import PACKAGE_DIR, resource_dir
from lms.security_headers import add_security_headers
from lms.services.errors import DomainError
from lms.services.org import name_path
from lms.services.pdf import PdfUnavailable
from lms.ui_language import template_translators, use_kept_wtforms_messages
from lms.unavailable import database_unavailable
from lms.urls import lms_url


def create_blueprint(question_types: QuestionTypeRegistry) -> Blueprint:
    root = Blueprint(
        "lms", __name__,
        template_folder=str(resource_dir("templates")),
        static_folder=str(PACKAGE_DIR / "static"),
        static_url_path="/assets",
    )
    # Question-type plugins may ship templates; LMS's own come first so none is shadowed.
    root.jinja_loader = ChoiceLoader([
        FileSystemLoader(str(resource_dir("templates"))),
        *(FileSystemLoader(folder) for folder in question_types.template_folders()),
    ])
    root.register_blueprint(auth_bp)
    root.register_blueprint(learn_bp)
    root.register_blueprint(api_bp)
    root.register_blueprint(author_bp)
    root.register_blueprint(admin_bp)
    root.register_blueprint(public_bp)

    root.before_request(use_lms_translations)
    root.before_request(guard_json_bodies)
    root.before_request(refuse_nul_bytes)
    root.context_processor(template_globals)
    root.add_app_template_global(lms_url, "lms_url")
    root.after_request(add_security_headers)
    root.register_error_handler(DomainError, _domain_error)
    root.register_error_handler(HTTPException, render_http_error)
    root.register_error_handler(RateLimitExceeded, too_many_attempts)
    root.register_error_handler(PdfUnavailable, _pdf_unavailable)
    root.register_error_handler(DataError, value_refused_by_database)
    for lost in (OperationalError, InterfaceError):  # database down or restarting: 503
        root.register_error_handler(lost, database_unavailable)
    return root


def use_lms_translations() -> None:
    current_app.extensions["lms"].translations.as_default()
    use_kept_wtforms_messages()


def template_globals() -> dict:
    """Names every LMS template may use; prefixed so they never clash with a host's."""
    return {
        "lms_user": current_learner(),
        "lms_locale": ui_locale(),
        "lms_large_text": large_text_on,
        "lms_csrf_token": generate_csrf,
        "lms_can": _can,
        "lms_admins_units": _admins_units,
        "lms_unit_name_path": _unit_name_path,
        "lms_prompt": prompt_html,
        "lms_prompt_text": prompt_text,
        **template_translators(),
    }


def _can(action: str, resource=None) -> bool:
    """``permissions.can`` for the signed-in user, so a page links only to what will open.

    Answered from the request's one ``current_scope``: a template may ask per row.
    """
    return current_can(action, resource)


def _admins_units() -> bool:
    """Whether the signed-in user administers some unit, so the header links the admin room."""
    return current_learner() is not None and current_scope().admins_units


def _unit_name_path(unit) -> str:
    """"党委/第一党总支/第一党支部" for a unit (rows keep id paths)."""
    return name_path(current_app.extensions["lms"].session(), unit) if unit is not None else ""


def ui_locale() -> str:
    """Return "zh_CN" or "en"; Babel reports Chinese as zh_Hans_CN."""
    locale = get_locale()
    if locale is None:
        return current_app.config["LMS_DEFAULT_LOCALE"]
    return "zh_CN" if locale.language == "zh" else "en"


def _domain_error(error: DomainError):
    return render_error(error.status)


def render_http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    return render_error(error.code)


def _pdf_unavailable(error: PdfUnavailable):
    """No PDF engine on this server: say so (503), never a 500; the page still prints."""
    current_app.logger.error("PDF unavailable: %s", error)
    return render_template("lms/errors/error.html", status=503, reason="pdf_unavailable"), 503


def render_error(status: int):
    if wants_json():
        return jsonify(error=status), status
    return render_template("lms/errors/error.html", status=status), status
