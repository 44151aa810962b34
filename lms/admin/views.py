"""Thin admin views: find the unit, check ``admin_unit``, parse, one service call, render."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.admin import bp
from lms.admin.assignment_forms import unit_section
from lms.admin.forms import (
    KIND_LABELS,
    CreateUnitForm,
    DeactivateUnitForm,
    MoveUnitForm,
    RenameUnitForm,
)
from lms.admin.grant_forms import GrantByUsernameForm
from lms.auth.session import current_learner, current_require, current_scope, login_required
from lms.models import OrgUnit
from lms.services import grant_lists, org_admin
from lms.services.errors import PermissionDenied
from lms.services.org_admin import UnitChangeRefused
from lms.services.permissions import Action

PAGE_SIZE = 20
#: What people read when the rules refuse a change (``UnitChangeRefused.reason``).
REFUSALS = {
    "name_required": _l("Enter a name."),
    "name_too_long": _l("Use at most 100 characters."),
    "name_has_slash": _l("A unit name may not contain “/”."),
    "name_taken": _l("The parent unit already has a sub-unit with this name."),
    "bad_kind": _l("Choose a kind."),
    "inactive": _l("This unit is deactivated; it cannot be used for new changes."),
    "into_own_subtree": _l("A unit cannot be moved under itself or one of its own sub-units."),
    "same_parent": _l("The unit is already under this parent unit."),
    "has_people": _l("The unit still has active people. Move them to another unit first."),
    "has_units": _l("The unit still has active sub-units. Deactivate or move them first."),
    "unknown_parent": _l("The chosen parent unit does not exist."),
}


def _db():
    return current_app.extensions["lms"].session()


def _require_admin_room() -> None:
    if not current_scope().admins_units:
        raise PermissionDenied("not an administrator of any unit")


def _unit(unit_id: int) -> OrgUnit:
    """The unit in the URL, if the signed-in user administers it (else 404 / 403)."""
    unit = org_admin.get_unit(_db(), unit_id)
    current_require(Action.ADMIN_UNIT, unit)
    return unit


@bp.route("/")
@login_required
def index():
    _require_admin_room()
    return render_template("lms/admin/index.html",
                           rows=org_admin.unit_tree(_db(), current_scope()),
                           kind_labels=KIND_LABELS)


def _unit_page(unit: OrgUnit, status: int = 200, **forms):
    rows = org_admin.unit_tree(_db(), current_scope())
    parents = [row for row in rows if row.unit.active and not row.unit.path.startswith(unit.path)
               and row.unit.id != unit.parent_id]
    forms = {"create": CreateUnitForm(formdata=None), "rename": RenameUnitForm(formdata=None,
                                                                              name=unit.name),
             "move": MoveUnitForm(formdata=None), "deactivate": DeactivateUnitForm(formdata=None),
             "grant_admin": GrantByUsernameForm(formdata=None), **unit_section(_db(), unit),
             **forms}
    return render_template("lms/admin/unit.html", unit=unit, parents=parents,
                           kind_labels=KIND_LABELS, admins=grant_lists.unit_admins(_db(), unit),
                           **forms), status


@bp.route("/units/<lms_id:unit_id>")
@login_required
def unit(unit_id: int):
    return _unit_page(_unit(unit_id))


def _refused(unit: OrgUnit, error: UnitChangeRefused, **forms):
    flash(str(REFUSALS.get(error.reason, _("The change was not saved."))), "error")
    return _unit_page(unit, 409 if error.reason in ("has_people", "has_units", "name_taken")
                      else 400, **forms)


def _invalid(unit: OrgUnit, form, name: str):
    if form.errors.get("csrf_token"):
        flash(_("The form expired. Please submit it again."), "error")
    return _unit_page(unit, 400, **{name: form})


@bp.route("/units/<lms_id:unit_id>/children", methods=["POST"])
@login_required
def create_unit(unit_id: int):
    parent = _unit(unit_id)
    form = CreateUnitForm()
    if not form.validate_on_submit():
        return _invalid(parent, form, "create")
    try:
        created = org_admin.create_unit(_db(), current_learner(), parent, form.name.data,
                                        form.kind.data)
    except UnitChangeRefused as error:
        return _refused(parent, error, create=form)
    flash(_("Unit “%(name)s” was created.", name=created.name), "info")
    return redirect(url_for("lms.admin.unit", unit_id=created.id), 303)


@bp.route("/units/<lms_id:unit_id>/rename", methods=["POST"])
@login_required
def rename_unit(unit_id: int):
    unit = _unit(unit_id)
    form = RenameUnitForm()
    if not form.validate_on_submit():
        return _invalid(unit, form, "rename")
    try:
        org_admin.rename_unit(_db(), current_learner(), unit, form.name.data)
    except UnitChangeRefused as error:
        return _refused(unit, error, rename=form)
    flash(_("The unit was renamed."), "info")
    return redirect(url_for("lms.admin.unit", unit_id=unit_id), 303)


@bp.route("/units/<lms_id:unit_id>/move", methods=["POST"])
@login_required
def move_unit(unit_id: int):
    unit = _unit(unit_id)
    form = MoveUnitForm()
    if not form.validate_on_submit():
        return _invalid(unit, form, "move")
    new_parent = _db().get(OrgUnit, form.parent_id.data)
    if new_parent is None:
        return _refused(unit, UnitChangeRefused("unknown_parent", "no such unit"), move=form)
    try:
        org_admin.move_unit(_db(), current_learner(), unit, new_parent)
    except UnitChangeRefused as error:
        return _refused(unit, error, move=form)
    flash(_("The unit was moved, with all its sub-units."), "info")
    return redirect(url_for("lms.admin.unit", unit_id=unit_id), 303)


@bp.route("/units/<lms_id:unit_id>/deactivate", methods=["POST"])
@login_required
def deactivate_unit(unit_id: int):
    unit = _unit(unit_id)
    form = DeactivateUnitForm()
    if not form.validate_on_submit():
        return _invalid(unit, form, "deactivate")
    try:
        org_admin.deactivate_unit(_db(), current_learner(), unit)
    except UnitChangeRefused as error:
        return _refused(unit, error)
    flash(_("The unit was deactivated."), "info")
    return redirect(url_for("lms.admin.unit", unit_id=unit_id), 303)
