"""The audit log page: who changed what in the admin room, filtered, with names for ids.

Filters travel as GET parameters (a link to a filtered page can be shared, and the pager
keeps them); a filter that cannot be read is shown next to its field with a 400, rather
than quietly listing everything.
"""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from lms.admin import audit_lines, bp
from lms.admin.views import PAGE_SIZE, _db, _require_admin_room
from lms.auth.session import current_scope, login_required
from lms.models import OrgUnit, User
from lms.request_args import DateInRange, page_arg
from lms.services import admin_audit
from lms.services.admin_audit import AuditFilters
from lms.services.org import ancestor_ids
from lms.services.org_admin import scope_clause

#: What each recorded action is called on the page; other admin modules add their actions here.
ACTION_LABELS = {
    "unit_created": _l("Unit created"),
    "unit_renamed": _l("Unit renamed"),
    "unit_moved": _l("Unit moved"),
    "unit_deactivated": _l("Unit deactivated"),
    "grant_changed": _l("Grant changed"),
    "course_assigned": _l("Course assigned"),
    "course_unassigned": _l("Course unassigned"),
    "completion_overridden": _l("Completion marked by an administrator"),
    "person_created": _l("Person created"),
    "person_updated": _l("Person edited"),
    "person_moved": _l("Person moved"),
    "person_activation_changed": _l("Person deactivated or reactivated"),
    "password_changed": _l("Password set by an administrator"),
    "offline_hours_changed": _l("Offline study hours recorded or removed"),
    "course_version_created": _l("Course version published"),
    "course_status_changed": _l("Course status changed"),
    "certificate_revoked": _l("Certificate revoked"),
    "certificate_issued": _l("Certificate re-issued"),
}


#: The GET parameters the pager carries over (only these: never a ``_external`` or the like).
FILTERS = ("action", "actor", "since", "until", "unit")


class AuditFilterForm(FlaskForm):
    """A GET form: nothing changes, so no CSRF token (it would also spoil shared links)."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validate_choice=False)
    actor = StringField(_l("Done by (username)"),
                        filters=[lambda value: value.strip() if value else value],
                        validators=[Optional(), Length(max=80)])
    since = DateField(_l("From (UTC)"), validators=[Optional(), DateInRange()])
    until = DateField(_l("To (UTC)"), validators=[Optional(), DateInRange()])
    unit = SelectField(_l("Unit and its sub-units"), validate_choice=False)


def _units() -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The units the reader administers, indented under their parents, and their id paths."""
    rows = _db().execute(select(OrgUnit.id, OrgUnit.name, OrgUnit.path)
                         .where(scope_clause(current_scope(), OrgUnit.path))
                         .order_by(OrgUnit.path)).all()
    ids = {row.id for row in rows}
    return ([(str(row.id), "　" * sum(1 for a in ancestor_ids(row.path)[:-1] if a in ids)
              + row.name) for row in rows], {str(row.id): row.path for row in rows})


def _read_filters(form: AuditFilterForm, units: dict[str, str]) -> AuditFilters | None:
    """The filters, or None after putting a message next to each field that cannot be read."""
    form.validate()
    for name in ("since", "until"):
        if getattr(form, name).errors:
            getattr(form, name).errors = [_("Enter a date such as 2024-05-01.")]
    if form.since.data and form.until.data and form.since.data > form.until.data:
        form.until.errors = [_("The end date is before the start date.")]
    actor_id = None
    if form.actor.data and not form.actor.errors:
        actor_id = _db().scalar(select(User.id).where(User.username == form.actor.data))
        if actor_id is None:
            form.actor.errors = [_("There is no person with this username.")]
    unit = form.unit.data or ""
    if unit and unit not in units:
        form.unit.errors = [_("Choose a unit from the list.")]
    if any(getattr(form, name).errors for name in ("actor", "since", "until", "unit")):
        return None
    return AuditFilters(action=form.action.data if form.action.data in ACTION_LABELS else None,
                        actor_id=actor_id, since=form.since.data, until=form.until.data,
                        unit_path=units[unit] if unit else None)


@bp.route("/audit")
@login_required
def audit():
    _require_admin_room()
    choices, paths = _units()
    form = AuditFilterForm(request.args)
    form.action.choices = [("", _("All actions")), *((key, str(label))
                                                      for key, label in ACTION_LABELS.items())]
    form.unit.choices = [("", _("All units")), *choices]
    filters = _read_filters(form, paths)
    if filters is None:
        return render_template("lms/admin/audit.html", form=form, result=None, args={}), 400
    result = admin_audit.list_actions(_db(), current_scope(), filters,
                                      page=page_arg(),
                                      page_size=PAGE_SIZE)
    args = {name: request.args[name] for name in FILTERS if request.args.get(name)}
    return render_template("lms/admin/audit.html", form=form, result=result, args=args,
                           action_labels=ACTION_LABELS, lines=audit_lines)
