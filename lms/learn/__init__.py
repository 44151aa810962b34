"""The trainee's rooms: my learning, course pages, modules and quizzes."""

from flask import Blueprint

bp = Blueprint("learn", __name__)

# Hooks and routes attach to bp when their modules are imported.
from lms.learn import (  # noqa: E402,F401
    access,
    certificates,
    notices,
    outline,
    record,
    study,
    views,
)
