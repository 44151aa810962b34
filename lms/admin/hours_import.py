"""Offline 学时 from a file: upload, preview, confirm once (pages shared with the other
imports, see ``import_pages``)."""

from __future__ import annotations

from flask import request

from lms.admin import bp
from lms.admin import import_pages as pages
from lms.admin.views import _require_admin_room
from lms.auth.session import login_required
from lms.services import hours_import

HOURS = pages.ImportPages(kind=hours_import.KIND, endpoint="hours_import",
                          prepare=hours_import.prepare, confirm=hours_import.confirm,
                          header=hours_import.TEMPLATE_HEADER, template_name="线下学时导入模板")


@bp.route("/hours/import", methods=["GET", "POST"])
@login_required
def hours_import_upload():
    _require_admin_room()
    return pages.upload(HOURS) if request.method == "POST" else pages.upload_page(HOURS)


@bp.route("/hours/import/confirm", methods=["POST"])
@login_required
def hours_import_confirm():
    _require_admin_room()
    return pages.confirm(HOURS)


@bp.route("/hours/import/<lms_id:batch_id>")
@login_required
def hours_import_result(batch_id: int):
    _require_admin_room()
    return pages.result(HOURS, batch_id)


@bp.route("/hours/import/template.<kind>")
@login_required
def hours_import_template(kind: str):
    _require_admin_room()
    return pages.template(HOURS, kind)
