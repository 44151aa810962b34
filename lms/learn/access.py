"""Every trainee route that names a course asks ``study_course`` before its view runs, and
every route that names a module asks whether the course's gates leave it open.

One hook on the blueprint rather than a line per view, so a new route with ``<slug>`` in its
URL is checked without anyone remembering to. Routes without a course (my learning, the
draft autosave) check what they touch themselves: the autosave only finds the trainee's own
attempts (``quizzes.save_draft`` checks the owner), which exist only for a module that was
open.
"""

from __future__ import annotations

from flask import abort, current_app, jsonify, make_response, render_template, request

from lms.auth.session import current_learner, current_require
from lms.learn import bp
from lms.services import progress
from lms.services.course_gates import has_gates
from lms.services.course_views import module_of, published_course
from lms.services.permissions import Action


@bp.before_request
def may_study_the_course() -> None:
    args = request.view_args or {}
    slug = args.get("slug")
    user = current_learner()
    if slug is None or user is None:
        return  # nobody signed in: the view's login_required sends them to sign in
    db = current_app.extensions["lms"].session()
    course = published_course(db, slug)
    current_require(Action.STUDY_COURSE, course)
    if "module_slug" in args and has_gates(course):
        _refuse_closed_module(db, user, course, args["module_slug"])


def _refuse_closed_module(db, user, course, module_slug: str) -> None:
    """A closed module's page, quiz and heartbeats answer 403 with what opens it."""
    module = module_of(course, module_slug)
    outline = progress.course_outline(db, user, course)
    lock = outline.locks.get(module.id)
    if lock is None:
        return
    if request.endpoint == "lms.learn.study_beat":
        abort(make_response(jsonify(error="locked", credited=0), 403))
    abort(make_response(render_template("lms/learn/locked.html", course=course,
                                        module=module, lock=lock), 403))
