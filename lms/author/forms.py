"""Trainer forms; FlaskForm everywhere so CSRF is checked on every POST."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired


class UploadBankForm(FlaskForm):
    file = FileField(_l("Question bank file"), validators=[
        FileRequired(_l("Choose a file to upload.")),
        FileAllowed(["gift", "txt", "xlsx"], _l("Use a GIFT (.gift, .txt) or Excel (.xlsx) file.")),
    ])


class ConfirmImportForm(FlaskForm):
    payload = HiddenField(validators=[DataRequired()])
    #: What becomes of questions the module already holds (lms.services.bank_reimport);
    #: a confirm that does not say skips them, so a re-import never duplicates by accident.
    existing = RadioField(_l("Questions already in this module"), default="skip", choices=[
        SelectChoice("skip", _l("Skip them (keep the module's questions as they are)")),
        SelectChoice("update", _l("Update them (a new revision of the same question)")),
        SelectChoice("copy", _l("Import them again as copies")),
    ])
