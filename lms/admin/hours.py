"""The person page's 学时 section: record and remove 集中培训 and 集体学习 entries.

Thin views as in ``people.py``: find the person (scope checked), parse one form, call one
``hours_entries`` service, then flash and redirect, or re-render the person page with the
refusal next to the field and a 400.
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from lms.admin import bp
from lms.admin.hours_forms import MESSAGES, RecordHoursForm, RemoveHoursForm
from lms.admin.people import _expired, _person, _person_page
from lms.admin.views import _db
from lms.auth.session import current_learner, login_required
from lms.services import hours_entries
from lms.services.hours_entries import HoursEntryRefused


def _back(person_id: int):
    return redirect(url_for("lms.admin.person", person_id=person_id, _anchor="hours"), 303)


@bp.route("/people/<lms_id:person_id>/hours", methods=["POST"])
@login_required
def record_hours(person_id: int):
    person = _person(person_id)
    form = RecordHoursForm()
    if not form.validate_on_submit():
        _expired(form)
        return _person_page(person, 400, record_hours=form)
    try:
        hours_entries.record_offline(_db(), current_learner(), person, form.kind.data,
                                     form.hours.data, form.title.data, form.held_on.data)
    except HoursEntryRefused as error:
        field = getattr(form, error.field or "", None)
        if field is not None:
            field.errors = [*field.errors, str(MESSAGES.get(error.field, ""))]
        return _person_page(person, 400, record_hours=form)
    flash(_("The study hours were recorded."), "info")
    return _back(person_id)


@bp.route("/people/<lms_id:person_id>/hours/<lms_id:entry_id>/remove", methods=["POST"])
@login_required
def remove_hours(person_id: int, entry_id: int):
    person = _person(person_id)
    form = RemoveHoursForm()
    if not form.validate_on_submit():
        _expired(form)
        return _person_page(person, 400, remove_hours_error=entry_id)
    try:
        hours_entries.remove_offline(_db(), current_learner(), entry_id, person_id=person.id)
    except HoursEntryRefused:
        flash(_("Only central training and group study entries can be removed."), "error")
        return _person_page(person, 400)
    flash(_("The entry was removed."), "info")
    return _back(person_id)
