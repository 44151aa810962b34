"""JSON endpoints the pages call in the background (answers saved while a quiz is taken)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")

from lms.api import views  # noqa: E402,F401  (routes attach to bp)
