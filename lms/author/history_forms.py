"""Forms of the history page: each change to who sees a course is confirmed with a box."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired

CONFIRM = _l("Tick the box to confirm.")


class Confirmed(FlaskForm):
    #: Why the service refused the change, shown beside the box (None: it was not refused).
    refusal: str | None = None


class RollBackForm(Confirmed):
    """One per earlier version on the page (the URL names the version)."""

    confirm_roll_back = BooleanField(_l("Yes, publish this version's content again"),
                                     validators=[DataRequired(CONFIRM)])


class UnpublishForm(Confirmed):
    confirm_unpublish = BooleanField(_l("Yes, hide the course from trainees"),
                                     validators=[DataRequired(CONFIRM)])


class RepublishForm(Confirmed):
    confirm_republish = BooleanField(_l("Yes, show the course to trainees again"),
                                     validators=[DataRequired(CONFIRM)])


class ArchiveForm(Confirmed):
    confirm_archive = BooleanField(_l("Yes, archive this course"),
                                   validators=[DataRequired(CONFIRM)])


class UnarchiveForm(Confirmed):
    confirm_unarchive = BooleanField(_l("Yes, take the course out of the archive"),
                                     validators=[DataRequired(CONFIRM)])
    publish_again = BooleanField(_l("Also show it to trainees again"))


class DeleteForm(Confirmed):
    confirm_delete = BooleanField(_l("Yes, delete this course and its whole history"),
                                  validators=[DataRequired(CONFIRM)])
