"""The administrators' room: the org tree and the audit log of admin changes."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from lms.admin import views  # noqa: E402,F401  (routes attach to bp)
