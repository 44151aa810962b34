"""Sign-in forms; every form is a FlaskForm so CSRF is checked on every POST."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from lms.services.accounts import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    """Current password, new password, and the new one again (the ids name the fields)."""

    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password.")),
                                            Length(max=200)],
        render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password.")),
                    Length(min=MIN_PASSWORD_LENGTH, max=200,
                           message=_l("The new password must have %(min)d to %(max)d "
                                      "characters."))],
        render_kw={"autocomplete": "new-password", "minlength": MIN_PASSWORD_LENGTH})
    repeat_password = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(_l("Enter the new password again.")),
                    EqualTo("new_password", _l("The two new passwords do not match."))],
        render_kw={"autocomplete": "new-password"})


class PostForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change state."""


class LocaleForm(FlaskForm):
    """The header's language switch; its ids differ from the page form's fields of the same
    name (the sign-in page has its own ``next``)."""

    locale = HiddenField(validators=[DataRequired()], id="locale-choice")
    next = HiddenField(id="locale-next")


class DisplayForm(FlaskForm):
    """The header's large text switch (长辈模式): "1" turns it on, "0" off."""

    large_text = HiddenField(validators=[DataRequired()], id="display-choice")
    next = HiddenField(id="display-next")
