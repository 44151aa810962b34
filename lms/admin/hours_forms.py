"""Forms of the person page's 学时 section, and what the section shows.

Apart from ``hours.py`` so the person page (``people._person_page``) can draw the section
without the two view modules importing each other. Fields carry their own ids, as on the
unit page, so these forms share the page with the person's other forms.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, ValidationError

from lms.models import HoursKind, User
from lms.request_args import DateInRange
from lms.services import hours
from lms.services.assignments import today
from lms.services.hours_entries import OFFLINE_KINDS, TITLE_MAX, offline_entries, quarter_hours

KIND_LABELS = {HoursKind.CENTRAL.value: _l("Central training"),
               HoursKind.GROUP.value: _l("Group study")}
#: What each field says when the service refuses it (the form checks the same rules first).
MESSAGES = {
    "kind": _l("Choose central training or group study."),
    "hours": _l("Enter hours in steps of 0.25, from 0.25 to 100."),
    "title": _l("Enter what the session was, in at most 200 characters."),
    "held_on": _l("Enter the day it was held; it cannot be in the future."),
}


def _strip(value: str | None) -> str | None:
    return value.strip() if value else value


def _hours_valid(form, field) -> None:
    if quarter_hours(field.data) is None:
        raise ValidationError(str(MESSAGES["hours"]))


def _not_future(form, field) -> None:
    if field.data is not None and field.data > today():
        raise ValidationError(str(MESSAGES["held_on"]))


class RecordHoursForm(FlaskForm):
    kind = SelectField(_l("Kind"), id="hours-kind", validate_choice=False,
                       choices=[SelectChoice(kind, label) for kind, label in KIND_LABELS.items()],
                       validators=[InputRequired(MESSAGES["kind"]),
                                   AnyOf(OFFLINE_KINDS, message=MESSAGES["kind"])])
    hours = StringField(_l("Hours"), id="hours-hours", filters=[_strip],
                        validators=[InputRequired(MESSAGES["hours"]), _hours_valid],
                        render_kw={"inputmode": "decimal", "autocomplete": "off"})
    title = StringField(_l("Session"), id="hours-title", filters=[_strip],
                        validators=[DataRequired(MESSAGES["title"]),
                                    Length(max=TITLE_MAX, message=MESSAGES["title"])])
    held_on = DateField(_l("Date held"), id="hours-held-on", default=today,
                        validators=[InputRequired(MESSAGES["held_on"]), DateInRange(),
                                    _not_future])


class RemoveHoursForm(FlaskForm):
    """Removing an entry lowers the person's 学时, so the admin ticks a box to confirm it."""

    confirm = BooleanField(_l("Yes, remove this entry"),
                           validators=[DataRequired(_l("Tick the box to confirm."))])


def hours_section(session: Session, person: User) -> dict:
    """This year's totals by kind, the offline entries, and the blank forms."""
    year = today().year
    return {"hours_year": year, "hours_totals": hours.year_totals(session, person.id, year),
            "hours_entries": offline_entries(session, person, year),
            "hours_kinds": KIND_LABELS, "record_hours": RecordHoursForm(formdata=None),
            "remove_hours_error": None}
