"""Bulk import of people: upload, preview, confirm once, download the passwords once.

The pages themselves are shared with the overrides import (``import_pages``); these routes
only say which import they serve and check that the signed-in user administers some unit
(each row is then checked against exactly which units, by the service).
"""

from __future__ import annotations

from flask import request

from lms.admin import bp
from lms.admin import import_pages as pages
from lms.admin.views import _require_admin_room
from lms.auth.session import login_required
from lms.services import people_import

PEOPLE = pages.ImportPages(kind=people_import.KIND, endpoint="people_import",
                           prepare=people_import.prepare, confirm=people_import.confirm,
                           header=people_import.TEMPLATE_HEADER, template_name="人员导入模板")


@bp.route("/people/import", methods=["GET", "POST"])
@login_required
def people_import_upload():
    _require_admin_room()
    return pages.upload(PEOPLE) if request.method == "POST" else pages.upload_page(PEOPLE)


@bp.route("/people/import/confirm", methods=["POST"])
@login_required
def people_import_confirm():
    _require_admin_room()
    return pages.confirm(PEOPLE)


@bp.route("/people/import/<lms_id:batch_id>")
@login_required
def people_import_result(batch_id: int):
    _require_admin_room()
    return pages.result(PEOPLE, batch_id)


@bp.route("/people/import/<lms_id:batch_id>/passwords", methods=["POST"])
@login_required
def people_import_passwords(batch_id: int):
    _require_admin_room()
    return pages.passwords(PEOPLE, batch_id)


@bp.route("/people/import/template.<kind>")
@login_required
def people_import_template(kind: str):
    _require_admin_room()
    return pages.template(PEOPLE, kind)
