"""Forms of the import pages: an upload, a one-use confirm, a once-only download."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired, Length


class UploadTableForm(FlaskForm):
    file = FileField(_l("CSV or Excel file"), validators=[
        FileRequired(_l("Choose a file to upload.")),
        FileAllowed(["csv", "xlsx"], _l("Use a CSV (.csv) or Excel (.xlsx) file.")),
    ])


class ConfirmImportForm(FlaskForm):
    """Carries the batch's random token; only its hash is stored, so it is the key itself."""

    token = HiddenField(validators=[DataRequired(), Length(max=100)])


class DownloadPasswordsForm(FlaskForm):
    """A POST, not a link: the sheet is wiped when sent, so no prefetch may fetch it."""
