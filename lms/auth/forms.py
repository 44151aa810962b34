"""Sign-in forms; every form is a FlaskForm so CSRF is checked on every POST."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    next = HiddenField()


class PostForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change state."""


class LocaleForm(FlaskForm):
    """The header's language switch; its ids differ from the page form's fields of the same
    name (the sign-in page has its own ``next``)."""

    locale = HiddenField(validators=[DataRequired()], id="locale-choice")
    next = HiddenField(id="locale-next")
