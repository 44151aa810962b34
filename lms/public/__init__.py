"""Pages for anyone, signed in or not: checking a certificate's code."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from lms.public import views  # noqa: E402,F401  (routes attach to bp)
