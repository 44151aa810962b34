"""The administrators' room: org tree, people, assignments, grants, audit and statistics."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

# Routes attach to bp when their modules are imported.
from lms.admin import (  # noqa: E402,F401
    assignments,
    audit,
    certificates,
    grants,
    hours,
    hours_import,
    override_import,
    people,
    people_import,
    person_record,
    stats,
    stats_hours,
    views,
)
