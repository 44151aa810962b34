"""The trainee's rooms: my learning, course pages, modules and quizzes."""

from flask import Blueprint

bp = Blueprint("learn", __name__)

from lms.learn import views  # noqa: E402,F401  (routes attach to bp)
