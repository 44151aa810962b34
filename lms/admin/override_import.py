"""Bulk completion overrides: upload, preview, confirm once (pages shared with the people
import, see ``import_pages``)."""

from __future__ import annotations

from flask import request

from lms.admin import bp
from lms.admin import import_pages as pages
from lms.admin.views import _require_admin_room
from lms.auth.session import login_required
from lms.services import override_import

OVERRIDES = pages.ImportPages(kind=override_import.KIND, endpoint="override_import",
                              prepare=override_import.prepare, confirm=override_import.confirm,
                              header=override_import.TEMPLATE_HEADER,
                              template_name="完成记录导入模板")


@bp.route("/overrides/import", methods=["GET", "POST"])
@login_required
def override_import_upload():
    _require_admin_room()
    return pages.upload(OVERRIDES) if request.method == "POST" else pages.upload_page(OVERRIDES)


@bp.route("/overrides/import/confirm", methods=["POST"])
@login_required
def override_import_confirm():
    _require_admin_room()
    return pages.confirm(OVERRIDES)


@bp.route("/overrides/import/<lms_id:batch_id>")
@login_required
def override_import_result(batch_id: int):
    _require_admin_room()
    return pages.result(OVERRIDES, batch_id)


@bp.route("/overrides/import/template.<kind>")
@login_required
def override_import_template(kind: str):
    _require_admin_room()
    return pages.template(OVERRIDES, kind)
