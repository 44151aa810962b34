"""Signing in and out with LMS's own accounts, and who the current learner is."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from lms.auth import display, views  # noqa: E402,F401  (routes attach to bp)
