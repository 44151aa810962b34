"""Forms of the people pages: they parse and say what is missing; the service checks rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lms.db import MAX_ID
from lms.duty_labels import DUTY_LABELS
from lms.models import Role

ROLE_LABELS = {
    Role.TRAINEE: _l("Trainee"),
    Role.TRAINER: _l("Trainer"),
    Role.ADMIN: _l("Administrator"),
}


def _strip(value: str | None) -> str | None:
    return value.strip() if value else value


def _unit_field(label) -> IntegerField:
    return IntegerField(label, validators=[InputRequired(_l("Choose a unit.")),
                                           NumberRange(1, MAX_ID, _l("Choose a unit."))])


class PersonForm(FlaskForm):
    """Name, role, duty, phone and e-mail: what the person page edits."""

    display_name = StringField(_l("Name"), filters=[_strip],
                               validators=[DataRequired(_l("Enter the person's name.")),
                                           Length(max=100, message=_l(
                                               "Use at most 100 characters for the name."))])
    # The service refuses unknown roles and roles the admin may not give, in its own words.
    role = SelectField(_l("Role"), validate_choice=False,
                       choices=[SelectChoice(role.value, label)
                                for role, label in ROLE_LABELS.items()],
                       validators=[InputRequired(_l("Choose a role."))])
    phone = StringField(_l("Mobile phone (optional)"), filters=[_strip],
                        validators=[Length(max=30, message=_l("Use at most 30 characters."))],
                        render_kw={"inputmode": "tel", "autocomplete": "off"})
    # Which yearly 学时 target applies; the service refuses anything else. Left out of a
    # post (an older page, a script), it keeps the person's duty (a new person: 党员).
    duty = SelectField(_l("Duty"), validate_choice=False,
                       choices=[SelectChoice(duty.value, label)
                                for duty, label in DUTY_LABELS.items()],
                       validators=[Optional()])
    email = StringField(_l("E-mail (optional)"), filters=[_strip],
                        validators=[Length(max=200, message=_l("Use at most 200 characters."))],
                        render_kw={"inputmode": "email", "autocomplete": "off",
                                   "autocapitalize": "none"})

    def offer_roles(self, admin_role: bool) -> None:
        """Offer the admin role only to site admins (the service enforces it either way)."""
        if not admin_role:
            self.role.choices = [c for c in self.role.choices if c.value != Role.ADMIN.value]


class CreatePersonForm(PersonForm):
    username = StringField(_l("Username"), filters=[_strip],
                           validators=[DataRequired(_l("Enter a username.")),
                                       Length(max=80, message=_l("Use at most 80 characters."))],
                           render_kw={"autocomplete": "off", "autocapitalize": "none"})
    unit_id = _unit_field(_l("Unit"))


class MovePersonForm(FlaskForm):
    unit_id = _unit_field(_l("New unit"))


class DeactivatePersonForm(FlaskForm):
    """The person can no longer sign in; the admin ticks a box to confirm it."""

    confirm_deactivate = BooleanField(_l("Yes, deactivate this person"),
                                      validators=[DataRequired(_l("Tick the box to confirm."))])


class ReactivatePersonForm(FlaskForm):
    confirm_reactivate = BooleanField(_l("Yes, reactivate this person"),
                                      validators=[DataRequired(_l("Tick the box to confirm."))])


class ResetPasswordForm(FlaskForm):
    """The person's current password stops working at once, so this is confirmed too."""

    confirm_reset = BooleanField(_l("Yes, replace this person's password"),
                                 validators=[DataRequired(_l("Tick the box to confirm."))])
