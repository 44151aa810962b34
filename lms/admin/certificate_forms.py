"""Forms of the person page's certificate section, and what the section shows.

Apart from ``certificates.py`` so the person page (``people._person_page``) can draw the
section without the two view modules importing each other. Each certificate has its own
revoke form on the page, so the template gives the fields ids suffixed with its id.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from lms.models import User
from lms.services import certificate_admin, certificates
from lms.services.certificate_admin import REASON_MAX
from lms.services.permissions import Scope

MESSAGES = {
    "reason_required": _l("Enter why the certificate is revoked."),
    "reason_too_long": _l("Use at most 200 characters for the reason."),
    "confirm": _l("Tick the box to confirm."),
    "already_revoked": _l("This certificate is revoked already."),
    "not_revoked": _l("Revoke the certificate before issuing a new one."),
    "has_valid": _l("This course already has a valid certificate for this person."),
}


def _strip(value: str | None) -> str | None:
    return value.strip() if value else value


class RevokeCertificateForm(FlaskForm):
    """Revoking is seen by anyone who checks the code, so the admin gives a reason and ticks
    a box; ticking "issue a new one" replaces it in the same step."""

    reason = StringField(_l("Reason"), filters=[_strip],
                         validators=[DataRequired(MESSAGES["reason_required"]),
                                     Length(max=REASON_MAX, message=MESSAGES["reason_too_long"])])
    confirm = BooleanField(_l("Yes, revoke this certificate"),
                           validators=[DataRequired(MESSAGES["confirm"])])
    reissue = BooleanField(_l("Issue a new certificate with a new code in its place"))


class ReissueCertificateForm(FlaskForm):
    """Only the CSRF token: re-issuing takes nothing away."""


def certificate_section(session: Session, scope: Scope, person: User) -> dict:
    """The person's certificates, whether the reader may change them, and the blank forms."""
    held = certificates.of_person(session, person.id)
    valid = {(c.course_id, c.cycle) for c in held if c.revoked_at is None}
    return {"certificates": held, "certificate_code": certificates.grouped,
            "may_change_certificates": certificate_admin.may_change(scope, person),
            "replaceable": {c.id for c in held
                            if c.revoked_at is not None and (c.course_id, c.cycle) not in valid},
            "revoke_certificate": RevokeCertificateForm(formdata=None), "revoke_failed": None}
