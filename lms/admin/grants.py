"""Grants in the browser: a unit's admins on its page, and the grants page for everything else.

Who may change which grant is ``manage_grants`` (permissions.py), checked here before a form is
read and again in the service: an admin of a unit or of a unit above it grants and revokes
unit admin of that subtree; site admins also name course authors and other site admins.
"""

from __future__ import annotations

from functools import partial

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Field

from lms.admin import bp
from lms.admin.grant_forms import CourseAuthorForm, GrantByUsernameForm, RevokeGrantForm
from lms.admin.views import PAGE_SIZE, _db, _require_admin_room, _unit, _unit_page
from lms.auth.session import (
    current_can,
    current_learner,
    current_require,
    current_scope,
    login_required,
)
from lms.db import MAX_ID
from lms.models import Course, Grant, GrantKind
from lms.request_args import page_arg
from lms.services import grant_lists, grants
from lms.services.grants import GrantRefused, GrantTarget
from lms.services.permissions import Action

#: What people read when the rules refuse a grant change (``GrantRefused.reason``).
REFUSALS = {
    "unknown_user": _l("There is no person with this username."),
    "inactive_user": _l("This person is deactivated. Activate them first."),
    "inactive_unit": _l("This unit is deactivated; it cannot be used for new changes."),
    "own_last_admin": _l("You cannot revoke your own last admin grant: you would lock yourself "
                         "out of the admin room. Ask another admin to do it."),
}


def _grants_page(status: int = 200, **forms):
    page = page_arg()
    site = current_can(Action.MANAGE_GRANTS)  # site-level: site admins
    forms = {"author": CourseAuthorForm(formdata=None),
             "site_admin": GrantByUsernameForm(formdata=None), **forms}
    return render_template(
        "lms/admin/grants.html", manages_site=site,
        result=grant_lists.grants_in_scope(_db(), current_scope(), page=page,
                                           page_size=PAGE_SIZE),
        courses=grant_lists.courses_for_authors(_db()) if site else [], **forms), status


@bp.route("/grants")
@login_required
def grants_page():
    _require_admin_room()
    return _grants_page()


def _granted(username: Field, target: GrantTarget, again: str, status_page):
    """The one service call of every grant form; a refusal goes next to the username field."""
    try:
        user, new = grants.grant_by_username(_db(), current_learner(), username.data, target)
    except GrantRefused as error:
        message = str(REFUSALS[error.reason])
        if error.field == "username":
            username.errors = [*username.errors, message]
        else:
            flash(message, "error")
        return status_page(400 if error.field else 409)
    who = {"name": user.display_name, "username": user.username}
    flash(_("Granted to %(name)s (%(username)s).", **who) if new else
          _("%(name)s (%(username)s) already holds this grant; nothing changed.", **who), "info")
    return redirect(again, 303)


@bp.route("/units/<lms_id:unit_id>/admins", methods=["POST"])
@login_required
def grant_unit_admin(unit_id: int):
    unit = _unit(unit_id)  # admin of the unit (or above): the same rule as manage_grants
    form = GrantByUsernameForm()
    page = partial(_unit_page, unit, grant_admin=form)
    if not form.validate_on_submit():
        return page(400)
    return _granted(form.username, GrantTarget(GrantKind.UNIT_ADMIN, unit=unit),
                    url_for("lms.admin.unit", unit_id=unit.id), page)


@bp.route("/grants/site-admins", methods=["POST"])
@login_required
def grant_site_admin():
    current_require(Action.MANAGE_GRANTS)
    form = GrantByUsernameForm()
    page = partial(_grants_page, site_admin=form)
    if not form.validate_on_submit():
        return page(400)
    return _granted(form.username, GrantTarget(GrantKind.SITE_ADMIN), url_for("lms.admin.grants_page"),
                    page)


@bp.route("/grants/course-authors", methods=["POST"])
@login_required
def grant_course_author():
    form = CourseAuthorForm()
    course_id = form.course_id.data
    course = _db().get(Course, course_id) if isinstance(course_id, int) and \
        0 < course_id <= MAX_ID else None
    current_require(Action.MANAGE_GRANTS, course)  # no course chosen: asked of the site
    page = partial(_grants_page, author=form)
    if not form.validate_on_submit():
        return page(400)
    if course is None:
        form.course_id.errors = [_("The chosen course does not exist.")]
        return page(400)
    return _granted(form.author_username, GrantTarget(GrantKind.COURSE_AUTHOR, course=course),
                    url_for("lms.admin.grants_page"), page)


def _revoke_page(row: Grant, to_unit: bool, status: int):
    if to_unit:
        return _unit_page(row.org_unit, status, revoke_error=row.id)
    return _grants_page(status, revoke_error=row.id)


@bp.route("/grants/<lms_id:grant_id>/revoke", methods=["POST"])
@login_required
def revoke_grant(grant_id: int):
    row = grants.get_grant(_db(), grant_id)
    current_require(Action.MANAGE_GRANTS, grants.target_of(row).resource)
    form = RevokeGrantForm()
    to_unit = form.back.data == "unit" and row.org_unit is not None
    if not form.validate_on_submit():
        if form.errors.get("csrf_token"):
            flash(_("The form expired. Please submit it again."), "error")
        return _revoke_page(row, to_unit, 400)
    person, unit_id = row.user, row.org_unit_id
    own = person.id == current_learner().id
    try:
        grants.revoke_grant(_db(), current_learner(), row)
    except GrantRefused as error:
        flash(str(REFUSALS[error.reason]), "error")
        return _revoke_page(row, to_unit, 409)
    flash(_("The grant of %(name)s (%(username)s) was revoked.", name=person.display_name,
            username=person.username), "info")
    if to_unit and not own:  # after revoking one's own grant the unit may be out of reach
        return redirect(url_for("lms.admin.unit", unit_id=unit_id), 303)
    return redirect(url_for("lms.admin.grants_page"), 303)
