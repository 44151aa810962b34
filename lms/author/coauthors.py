"""Thin views: a course's authors add and remove co-authors (on the draft page)."""

from __future__ import annotations

from flask import current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.auth.forms import PostForm
from lms.auth.session import current_learner, current_scope, login_required
from lms.author import bp
from lms.author.draft_forms import AddCoauthorForm
from lms.author.drafts import render_draft
from lms.models import User
from lms.services import authoring, coauthors
from lms.services.errors import NotFound
from lms.services.grants import GrantRefused

REFUSALS = {
    "unknown_trainer": _l("No active trainer or admin has this username."),
    "already_author": _l("This person is an author of the course already."),
    "own_authorship": _l("You cannot remove yourself; another author can."),
}


def _db():
    return current_app.extensions["lms"].session()


@bp.route("/courses/<slug>/authors", methods=["POST"])
@login_required
def add_coauthor(slug: str):
    course = authoring.get_authored_course(_db(), current_scope(), slug)
    form = AddCoauthorForm()
    if form.validate_on_submit():
        try:
            person = coauthors.add_coauthor(_db(), current_learner(), course,
                                            form.username.data)
        except GrantRefused as refused:
            form.username.errors.append(str(REFUSALS.get(refused.reason, refused.message)))
        else:
            flash(_("%(name)s is now an author of this course.", name=person.display_name))
            return redirect(url_for("lms.author.draft", slug=slug) + "#authors", 303)
    return render_draft(course, 400, coauthor_form=form)


@bp.route("/courses/<slug>/authors/<lms_id:user_id>/remove", methods=["POST"])
@login_required
def remove_coauthor(slug: str, user_id: int):
    db = _db()
    course = authoring.get_authored_course(db, current_scope(), slug)
    person = db.get(User, user_id)
    if person is None:
        raise NotFound(f"no user {user_id}")
    if PostForm().validate_on_submit():
        try:
            coauthors.remove_coauthor(db, current_learner(), course, person)
        except GrantRefused as refused:
            flash(str(REFUSALS.get(refused.reason, refused.message)), "error")
        else:
            flash(_("%(name)s is no longer an author of this course.",
                    name=person.display_name))
    return redirect(url_for("lms.author.draft", slug=slug) + "#authors", 303)
