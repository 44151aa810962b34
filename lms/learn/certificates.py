"""我的证书: the signed-in trainee's certificates, each as a PDF and a verify link.

Only the signed-in person's own: a certificate id of someone else's is a 404, exactly like
one that does not exist, so ids reveal nothing. A revoked certificate is listed as revoked
and has no PDF.
"""

from __future__ import annotations

from flask import current_app, render_template

from lms.auth.session import current_learner, login_required
from lms.learn import bp
from lms.models import Certificate
from lms.public.certificate_pdf import certificate_pdf_response
from lms.services import certificates
from lms.services.errors import NotFound


@bp.route("/certificates")
@login_required
def my_certificates():
    db = current_app.extensions["lms"].session()
    return render_template("lms/learn/certificates.html",
                           certificates=certificates.of_person(db, current_learner().id),
                           grouped=certificates.grouped)


@bp.route("/certificates/<lms_id:certificate_id>.pdf")
@login_required
def certificate_pdf(certificate_id: int):
    certificate = current_app.extensions["lms"].session().get(Certificate, certificate_id)
    if certificate is None or certificate.user_id != current_learner().id \
            or certificate.revoked_at is not None:
        raise NotFound(f"no certificate {certificate_id} of the signed-in person")
    return certificate_pdf_response(certificate)
