"""Forms of the grants pages; FlaskForm everywhere so CSRF is checked on every POST.

The grants page shows two of them, so their username fields have different names (and ids).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from lms.db import MAX_ID


def _strip(value: str | None) -> str | None:
    return value.strip() if value else value


def _username_field(field_id: str) -> StringField:
    """Name the person by username: people know it from the people list or the sign-in sheet."""
    return StringField(_l("Username"), id=field_id, filters=[_strip],
                       validators=[DataRequired(_l("Enter a username.")),
                                   Length(max=80, message=_l("Use at most 80 characters."))])


class GrantByUsernameForm(FlaskForm):
    username = _username_field("grant-username")


class CourseAuthorForm(FlaskForm):
    author_username = _username_field("author-username")
    course_id = IntegerField(_l("Course"),
                             validators=[InputRequired(_l("Choose a course.")),
                                         NumberRange(1, MAX_ID, _l("Choose a course."))])


class RevokeGrantForm(FlaskForm):
    """Revoking may lock someone out at once, so the admin ticks a box to confirm it."""

    confirm = BooleanField(_l("Yes, revoke this grant"),
                           validators=[DataRequired(_l("Tick the box to confirm."))])
    #: Which page the button was on, to go back to it: the unit page or the grants page.
    back = HiddenField(default="grants")
