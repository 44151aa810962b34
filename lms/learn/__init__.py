"""The trainee's rooms: my learning, course pages, modules and quizzes."""

from flask import Blueprint

bp = Blueprint("learn", __name__)

from lms.learn import access, study, views  # noqa: E402,F401  (hooks and routes attach to bp)
