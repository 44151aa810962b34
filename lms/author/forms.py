"""Trainer forms; FlaskForm everywhere so CSRF is checked on every POST."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired


class UploadBankForm(FlaskForm):
    file = FileField(_l("Question bank file"), validators=[
        FileRequired(_l("Choose a file to upload.")),
        FileAllowed(["gift", "txt", "xlsx"], _l("Use a GIFT (.gift, .txt) or Excel (.xlsx) file.")),
    ])


class ConfirmImportForm(FlaskForm):
    payload = HiddenField(validators=[DataRequired()])
