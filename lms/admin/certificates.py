"""The person page's certificates: download, revoke (with a reason) and re-issue.

Thin views as in ``hours.py``: find the person (scope checked by ``_person``), find their
certificate, parse one form, call one ``certificate_admin`` service, then flash and
redirect, or re-render the person page with the refusal next to the form and a 400.
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from lms.admin import bp
from lms.admin.certificate_forms import MESSAGES, ReissueCertificateForm, RevokeCertificateForm
from lms.admin.people import _expired, _person, _person_page
from lms.admin.views import _db
from lms.auth.session import current_learner, login_required
from lms.public.certificate_pdf import certificate_pdf_response
from lms.services import certificate_admin
from lms.services.certificate_admin import CertificateRefused
from lms.services.errors import NotFound


def _back(person_id: int):
    return redirect(url_for("lms.admin.person", person_id=person_id, _anchor="certificates"),
                    303)


@bp.route("/people/<lms_id:person_id>/certificates/<lms_id:certificate_id>.pdf")
@login_required
def person_certificate_pdf(person_id: int, certificate_id: int):
    certificate = certificate_admin.get_certificate(_db(), _person(person_id), certificate_id)
    if certificate.revoked_at is not None:
        raise NotFound(f"certificate {certificate_id} is revoked")
    return certificate_pdf_response(certificate)


@bp.route("/people/<lms_id:person_id>/certificates/<lms_id:certificate_id>/revoke",
          methods=["POST"])
@login_required
def revoke_certificate(person_id: int, certificate_id: int):
    person = _person(person_id)
    certificate = certificate_admin.get_certificate(_db(), person, certificate_id)
    form = RevokeCertificateForm()
    if not form.validate_on_submit():
        _expired(form)
        return _person_page(person, 400, revoke_certificate=form, revoke_failed=certificate_id)
    try:
        new = certificate_admin.revoke(_db(), current_learner(), person, certificate,
                                       form.reason.data, reissue=form.reissue.data)
    except CertificateRefused as error:
        form.reason.errors = [*form.reason.errors, str(MESSAGES.get(error.reason, error))]
        return _person_page(person, 400, revoke_certificate=form, revoke_failed=certificate_id)
    flash(_("The certificate was revoked and a new one issued.") if new is not None
          else _("The certificate was revoked."), "info")
    return _back(person_id)


@bp.route("/people/<lms_id:person_id>/certificates/<lms_id:certificate_id>/reissue",
          methods=["POST"])
@login_required
def reissue_certificate(person_id: int, certificate_id: int):
    person = _person(person_id)
    certificate = certificate_admin.get_certificate(_db(), person, certificate_id)
    form = ReissueCertificateForm()
    if not form.validate_on_submit():
        _expired(form)
        return _person_page(person, 400)
    try:
        certificate_admin.reissue_certificate(_db(), current_learner(), person, certificate)
    except CertificateRefused as error:
        flash(str(MESSAGES.get(error.reason, error)), "error")
        return _person_page(person, 400)
    flash(_("A new certificate was issued."), "info")
    return _back(person_id)
