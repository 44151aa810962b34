"""A person's 学习档案 for the admins of their unit: the trainee's own page, PDF and workbook.

The person is found and scope-checked as on the person page (``people._person``): an admin of
another unit gets 403, and people without a unit are for site admins.
"""

from __future__ import annotations

from flask import render_template, url_for

from lms import learning_record_web as web
from lms.admin import bp
from lms.admin.people import _person
from lms.admin.views import _db
from lms.auth.session import login_required
from lms.models import User
from lms.services.assignments import today
from lms.services.learning_record import LearningRecord, learning_record


def _record_of(person_id: int) -> tuple[User, LearningRecord]:
    person = _person(person_id)
    return person, learning_record(_db(), person, today())


@bp.route("/people/<lms_id:person_id>/record")
@login_required
def person_record(person_id: int):
    person, record = _record_of(person_id)
    return render_template(
        "lms/admin/person_record.html", person=person,
        pdf_url=url_for(".person_record_pdf", person_id=person.id),
        xlsx_url=url_for(".person_record_xlsx", person_id=person.id), course_url=None,
        **web.page_context(record))


@bp.route("/people/<lms_id:person_id>/record.pdf")
@login_required
def person_record_pdf(person_id: int):
    return web.pdf_response(_record_of(person_id)[1], today())


@bp.route("/people/<lms_id:person_id>/record.xlsx")
@login_required
def person_record_xlsx(person_id: int):
    return web.xlsx_response(_record_of(person_id)[1], today())
