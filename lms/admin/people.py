"""People pages: list and search, create, edit, move, deactivate, reset a password.

Thin views as in ``views.py``: find the person, check the scope, parse one form, call one
``people_admin`` service, then flash and redirect, or re-render with the refusal next to the
field. A one-time password is rendered once into a ``no-store`` page, never flashed (the
flash lives in the cookie) and never stored.
"""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.admin import bp
from lms.admin.certificate_forms import certificate_section
from lms.admin.hours_forms import hours_section
from lms.admin.people_forms import (
    DUTY_LABELS,
    ROLE_LABELS,
    CreatePersonForm,
    DeactivatePersonForm,
    MovePersonForm,
    PersonForm,
    ReactivatePersonForm,
    ResetPasswordForm,
)
from lms.admin.views import PAGE_SIZE, _db, _require_admin_room
from lms.auth.session import current_learner, current_require, current_scope, login_required
from lms.db import MAX_ID
from lms.models import OrgUnit, User
from lms.request_args import id_arg, page_arg
from lms.services import org_admin, people_admin
from lms.services.errors import NotFound, PermissionDenied
from lms.services.org import name_path
from lms.services.people_admin import PersonChangeRefused
from lms.services.permissions import Action

#: What people read when the rules refuse a change (``PersonChangeRefused.reason``).
REFUSALS = {
    "username_taken": _l("This username is taken. Choose another one."),
    "username_invalid": _l("Use 3 to 80 letters, digits, dots, dashes or underscores."),
    "name_required": _l("Enter the person's name."),
    "name_too_long": _l("Use at most 100 characters for the name."),
    "unit_inactive": _l("This unit is deactivated; choose an active unit."),
    "phone_invalid": _l("Enter a phone number of digits, with an optional leading +."),
    "email_invalid": _l("Enter an e-mail address such as name@example.com."),
    "duty_invalid": _l("Choose a duty."),
    "role_invalid": _l("Choose a role."),
    "role_not_allowed": _l("Only site administrators may give or take the administrator role."),
    "own_account": _l("You cannot deactivate your own account."),
    "unknown_unit": _l("The chosen unit does not exist."),
    "external_account": _l("This person signs in through the host application; their "
                           "password is not kept here."),
}
STATUS = {"username_taken": 409, "role_not_allowed": 403}
#: The form field each refusal belongs next to.
FIELDS = {"username_taken": "username", "username_invalid": "username",
          "name_required": "display_name", "name_too_long": "display_name",
          "unit_inactive": "unit_id", "unknown_unit": "unit_id", "phone_invalid": "phone",
          "role_invalid": "role", "role_not_allowed": "role", "email_invalid": "email",
          "duty_invalid": "duty"}


def _person(person_id: int) -> User:
    """The person in the URL, if the signed-in user administers their unit (else 404 / 403)."""
    person = people_admin.get_person(_db(), person_id)
    if person.org_unit is None:
        if not current_scope().everything:
            raise PermissionDenied("people without a unit are for site admins")
    else:
        current_require(Action.ADMIN_UNIT, person.org_unit)
    return person


def _unit_or_none(unit_id: int | None) -> OrgUnit | None:
    if unit_id is None:
        return None
    unit = _db().get(OrgUnit, unit_id) if 0 < unit_id <= MAX_ID else None
    if unit is None:
        raise NotFound(f"no org unit {unit_id}")
    current_require(Action.ADMIN_UNIT, unit)
    return unit


def _active_units():
    return [row for row in org_admin.unit_tree(_db(), current_scope()) if row.unit.active]


def _refuse(form, error: PersonChangeRefused):
    """Put the refusal next to its field (or flash it); return the status to answer with."""
    message = str(REFUSALS.get(error.reason, _("The change was not saved.")))
    field = getattr(form, FIELDS.get(error.reason, ""), None)
    if field is not None:
        field.errors = [*field.errors, message]
    else:
        flash(message, "error")
    return STATUS.get(error.reason, 400)


def _sent(form, *names: str) -> dict[str, str]:
    """The fields the post carried (an empty e-mail clears it; a field left out keeps)."""
    return {name: getattr(form, name).data or "" for name in names
            if getattr(form, name).raw_data}


def _expired(form) -> None:
    if form.errors.get("csrf_token"):
        flash(_("The form expired. Please submit it again."), "error")


def _one_time_password_page(person: User, password: str, created: bool):
    response = make_response(render_template(
        "lms/admin/person_password.html", person=person, password=password, created=created))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


@bp.route("/people")
@login_required
def people():
    _require_admin_room()
    unit = _unit_or_none(id_arg("unit"))
    query = (request.args.get("q") or "").strip()
    result = people_admin.list_people(_db(), current_scope(), unit=unit, query=query,
                                      page=page_arg(),
                                      page_size=PAGE_SIZE)
    return render_template("lms/admin/people.html", result=result, unit=unit, query=query,
                           units=org_admin.unit_tree(_db(), current_scope()),
                           role_labels=ROLE_LABELS)


@bp.route("/people/new", methods=["GET", "POST"])
@login_required
def create_person():
    _require_admin_room()
    form = CreatePersonForm()
    form.offer_roles(current_scope().everything)
    status = 200
    if request.method == "GET":
        form.unit_id.data = request.args.get("unit", type=int)
        form.role.data = "trainee"
        form.duty.data = "member"
    elif form.validate_on_submit():
        unit = _db().get(OrgUnit, form.unit_id.data)
        try:
            if unit is None:
                raise PersonChangeRefused("unknown_unit", "no such unit", field="unit")
            person, password = people_admin.create_person(
                _db(), current_learner(), username=form.username.data,
                display_name=form.display_name.data, unit=unit, role=form.role.data,
                phone=form.phone.data, duty=form.duty.data or "member",
                email=form.email.data)
        except PersonChangeRefused as error:
            status = _refuse(form, error)
        else:
            return _one_time_password_page(person, password, created=True)
    else:
        _expired(form)
        status = 400
    return render_template("lms/admin/person_new.html", form=form,
                           units=_active_units()), status


def _person_page(person: User, status: int = 200, **forms):
    db, scope = _db(), current_scope()
    manage = people_admin.may_manage(db, scope, person)
    edit = PersonForm(formdata=None, obj=person, role=person.role.value,
                      duty=person.duty.value)
    edit.offer_roles(scope.everything or person.role.value == "admin")
    forms = {"edit": edit, "move": MovePersonForm(formdata=None),
             "deactivate": DeactivatePersonForm(formdata=None),
             "reactivate": ReactivatePersonForm(formdata=None),
             "reset": ResetPasswordForm(formdata=None), **hours_section(db, person),
             **certificate_section(db, scope, person), **forms}
    units = [row for row in _active_units() if row.unit.id != person.org_unit_id]
    return render_template(
        "lms/admin/person.html", person=person, manage=manage, units=units,
        unit_path=name_path(db, person.org_unit) if person.org_unit is not None else "",
        completion=people_admin.completion_of(db, person), role_labels=ROLE_LABELS,
        duty_labels=DUTY_LABELS,
        **forms), status


@bp.route("/people/<lms_id:person_id>")
@login_required
def person(person_id: int):
    return _person_page(_person(person_id))


@bp.route("/people/<lms_id:person_id>/edit", methods=["POST"])
@login_required
def edit_person(person_id: int):
    person = _person(person_id)
    form = PersonForm()
    form.offer_roles(True)  # the choices only draw the select; the service decides
    if not form.validate_on_submit():
        _expired(form)
        return _person_page(person, 400, edit=form)
    try:
        changed = people_admin.update_person(_db(), current_learner(), person,
                                             display_name=form.display_name.data,
                                             role=form.role.data, phone=form.phone.data or "",
                                             **_sent(form, "duty", "email"))
    except PersonChangeRefused as error:
        return _person_page(person, _refuse(form, error), edit=form)
    flash(_("The changes were saved.") if changed else _("Nothing was changed."), "info")
    return redirect(url_for("lms.admin.person", person_id=person_id), 303)


@bp.route("/people/<lms_id:person_id>/move", methods=["POST"])
@login_required
def move_person(person_id: int):
    person = _person(person_id)
    form = MovePersonForm()
    if not form.validate_on_submit():
        _expired(form)
        return _person_page(person, 400, move=form)
    unit = _db().get(OrgUnit, form.unit_id.data)
    try:
        if unit is None:
            raise PersonChangeRefused("unknown_unit", "no such unit", field="unit")
        people_admin.move_person(_db(), current_learner(), person, unit)
    except PersonChangeRefused as error:
        return _person_page(person, _refuse(form, error), move=form)
    flash(_("The person was moved. Their records and completed courses moved with them."),
          "info")
    return redirect(url_for("lms.admin.person", person_id=person_id), 303)


def _set_active(person_id: int, active: bool, form, name: str):
    person = _person(person_id)
    if not form.validate_on_submit():
        _expired(form)
        return _person_page(person, 400, **{name: form})
    try:
        people_admin.set_person_active(_db(), current_learner(), person, active)
    except PersonChangeRefused as error:
        return _person_page(person, _refuse(form, error), **{name: form})
    flash(_("The person was reactivated.") if active else
          _("The person was deactivated. They can no longer sign in; their records stay."),
          "info")
    return redirect(url_for("lms.admin.person", person_id=person_id), 303)


@bp.route("/people/<lms_id:person_id>/deactivate", methods=["POST"])
@login_required
def deactivate_person(person_id: int):
    return _set_active(person_id, False, DeactivatePersonForm(), "deactivate")


@bp.route("/people/<lms_id:person_id>/reactivate", methods=["POST"])
@login_required
def reactivate_person(person_id: int):
    return _set_active(person_id, True, ReactivatePersonForm(), "reactivate")


@bp.route("/people/<lms_id:person_id>/password", methods=["POST"])
@login_required
def reset_password(person_id: int):
    person = _person(person_id)
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        _expired(form)
        return _person_page(person, 400, reset=form)
    try:
        password = people_admin.reset_person_password(_db(), current_learner(), person)
    except PersonChangeRefused as error:
        return _person_page(person, _refuse(form, error), reset=form)
    return _one_time_password_page(person, password, created=False)
