"""``/verify/<code>``: whether a certificate is genuine, for whoever holds the paper.

It shows only what the certificate states (name, unit, course, date, 学时, the round of a
recurring course and the day it is valid until) and whether it is still valid; never the
person's account or records.
Search engines are asked not to index it (meta tag and header): a code is shared on paper,
not published.
"""

from __future__ import annotations

from flask import current_app, render_template

from lms.public import bp
from lms.services import certificates
from lms.services.assignments import today
from lms.services.certificate_validity import validity_of


@bp.route("/verify/<code>")
def verify(code: str):
    certificate = certificates.find_by_code(current_app.extensions["lms"].session(), code)
    validity = validity_of(certificate, today()) if certificate is not None else None
    page = render_template("lms/public/verify.html", certificate=certificate,
                           validity=validity, grouped=certificates.grouped)
    return page, 200 if certificate is not None else 404, {"X-Robots-Tag": "noindex, nofollow"}
