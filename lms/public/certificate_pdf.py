"""A certificate as a PDF: our print template, a QR code of its verify page, WeasyPrint.

Shared by the trainee's and the admin's download routes; each checks who may have it first.
``PdfUnavailable`` (no WeasyPrint or Pango on the server) propagates to the root blueprint's
handler, which answers with a 503 page saying so.
"""

from __future__ import annotations

from io import BytesIO

from flask import render_template, send_file, url_for

from lms.models import Certificate
from lms.services.assignments import today
from lms.services.certificate_validity import validity_of
from lms.services.certificates import grouped
from lms.services.pdf import render_pdf


def certificate_html(certificate: Certificate) -> str:
    verify_url = url_for("lms.public.verify", code=certificate.code, _external=True)
    return render_template("lms/print/certificate.html", certificate=certificate,
                           code=grouped(certificate.code), verify_url=verify_url,
                           validity=validity_of(certificate, today()),
                           qr=_qr_code(verify_url))


def _qr_code(url: str) -> str:
    """The verify page's QR code as an SVG data URI; segno is imported by a PDF only."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4)


def certificate_pdf_response(certificate: Certificate):
    pdf = render_pdf(certificate_html(certificate))
    response = send_file(BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                         download_name=f"结业证书-{certificate.code}.pdf")
    response.headers["Cache-Control"] = "private, no-store"
    return response
