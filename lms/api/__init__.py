"""The JSON API room (token-authenticated, for other systems); its routes come in a later issue.

Background calls made by LMS's own pages live in their audience's room (the quiz autosave is
in ``learn``), so this prefix stays free for the public API.
"""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")
