"""我的学习档案: the signed-in trainee's own record, as a page, a PDF and a workbook.

Only ever the signed-in person's own record: no URL names a person, so there is nobody else's
to reach. Admins open a person's record from the person page (``lms.admin.person_record``).
"""

from __future__ import annotations

from flask import current_app, render_template, url_for

from lms import learning_record_web as web
from lms.auth.session import current_learner, login_required
from lms.learn import bp
from lms.services.assignments import today
from lms.services.learning_record import LearningRecord, learning_record


def _own_record() -> LearningRecord:
    return learning_record(current_app.extensions["lms"].session(), current_learner(), today())


@bp.route("/record")
@login_required
def record():
    return render_template(
        "lms/learn/record.html", pdf_url=url_for(".record_pdf"), xlsx_url=url_for(".record_xlsx"),
        course_url=lambda slug: url_for(".course", slug=slug), **web.page_context(_own_record()))


@bp.route("/record.pdf")
@login_required
def record_pdf():
    return web.pdf_response(_own_record(), today())


@bp.route("/record.xlsx")
@login_required
def record_xlsx():
    return web.xlsx_response(_own_record(), today())
