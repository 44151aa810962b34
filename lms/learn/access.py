"""Every trainee route that names a course asks ``study_course`` before its view runs.

One hook on the blueprint rather than a line per view, so a new route with ``<slug>`` in its
URL is checked without anyone remembering to. Routes without a course (my learning, the
draft autosave) check what they touch themselves: the autosave only finds the trainee's own
attempts (``quizzes.get_own_attempt``).
"""

from __future__ import annotations

from flask import current_app, request

from lms.auth.session import current_learner, current_require
from lms.learn import bp
from lms.services import catalog
from lms.services.permissions import Action


@bp.before_request
def may_study_the_course() -> None:
    slug = (request.view_args or {}).get("slug")
    user = current_learner()
    if slug is None or user is None:
        return  # nobody signed in: the view's login_required sends them to sign in
    db = current_app.extensions["lms"].session()
    current_require(Action.STUDY_COURSE, catalog.get_course(db, slug))
