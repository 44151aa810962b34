"""Admin forms; FlaskForm everywhere so CSRF is checked on every POST."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from lms.db import MAX_ID
from lms.models import OrgUnitKind

KIND_LABELS = {
    OrgUnitKind.COMMITTEE: _l("Party committee"),
    OrgUnitKind.GENERAL_BRANCH: _l("General branch"),
    OrgUnitKind.BRANCH: _l("Party branch"),
    OrgUnitKind.GROUP: _l("Party group"),
}


def _name_field() -> StringField:
    return StringField(_l("Unit name"), filters=[lambda value: value.strip() if value else value],
                       validators=[DataRequired(_l("Enter a name.")),
                                   Length(max=100, message=_l("Use at most 100 characters."))])


class CreateUnitForm(FlaskForm):
    name = _name_field()
    kind = SelectField(_l("Kind"), choices=[SelectChoice(kind.value, label) for kind, label
                                            in KIND_LABELS.items()],
                       validators=[InputRequired(_l("Choose a kind."))])


class RenameUnitForm(FlaskForm):
    name = _name_field()


class MoveUnitForm(FlaskForm):
    parent_id = IntegerField(_l("New parent unit"),
                             validators=[InputRequired(_l("Choose the new parent unit.")),
                                         NumberRange(1, MAX_ID,
                                                     _l("Choose the new parent unit."))])


class DeactivateUnitForm(FlaskForm):
    """Deactivating is not undone from the UI, so the admin ticks a box to confirm it."""

    confirm = BooleanField(_l("Yes, deactivate this unit"),
                           validators=[DataRequired(_l("Tick the box to confirm."))])
