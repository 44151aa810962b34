"""What the people and the overrides import pages share: a bounded upload, problems worded
in the reader's language, the one-use confirm, the result page and the downloads.

Each import is described once (``ImportPages``); the routes in ``people_import`` and
``override_import`` stay one line each. Services stay Flask-free: they report problems as
codes with parameters (``tabular.Problem``) and this module words them, "第3行: …" in Chinese,
"Row 3: …" in English.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from flask import Response, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from lms.admin.import_forms import ConfirmImportForm, DownloadPasswordsForm, UploadTableForm
from lms.admin.import_wording import BATCH_REFUSALS, TABLE_REFUSALS, problem_lines
from lms.admin.views import _db
from lms.auth.session import current_learner
from lms.services import import_batches, spreadsheet
from lms.services.errors import NotFound
from lms.services.import_batches import BatchRefused, ImportStale
from lms.services.tabular import MAX_BYTES, MAX_ROWS, TableRefused, read_bounded

#: Room for the multipart envelope and the CSRF field around a file of MAX_BYTES.
MULTIPART_SLACK = 64 * 1024
PREVIEW_ROWS = 200


@dataclass(frozen=True)
class ImportPages:
    kind: str                               # people | overrides (ImportBatch.kind)
    endpoint: str                           # "people_import": its routes are named from it
    prepare: Callable[..., Any]
    confirm: Callable[..., Any]
    header: tuple[str, ...]                 # the template's columns
    template_name: str                      # download name, without the suffix

    def url(self, what: str, **values: Any) -> str:
        return url_for(f"lms.admin.{self.endpoint}_{what}", **values)


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def _page(pages: ImportPages, status: int = 200, **context: Any):
    if context.get("form") is None:
        context["form"] = UploadTableForm(formdata=None)
    return render_template("lms/admin/import.html", pages=pages, preview_rows=PREVIEW_ROWS,
                           max_megabytes=MAX_BYTES // (1024 * 1024), max_rows=MAX_ROWS,
                           **context), status


def upload_page(pages: ImportPages):
    return _page(pages)


def _refused_table(pages: ImportPages, error: TableRefused, form: UploadTableForm | None = None):
    message = str(TABLE_REFUSALS.get(error.reason, TABLE_REFUSALS["unreadable"])) % error.params
    return _page(pages, 413 if error.reason == "too_large" else 400, form=form,
                 refusal=message)


def upload(pages: ImportPages):
    """Check the upload's size before the body is parsed, then preview it."""
    limit = MAX_BYTES + MULTIPART_SLACK
    too_large = TableRefused("too_large", megabytes=MAX_BYTES // (1024 * 1024))
    if request.content_length is not None and request.content_length > limit:
        return _refused_table(pages, too_large)
    configured = request.max_content_length  # the host's limit, if any, still holds
    # A body without a length (chunked) is cut off while it is parsed.
    request.max_content_length = min(limit, configured) if configured else limit
    try:
        form = UploadTableForm()
        valid = form.validate_on_submit()
    except RequestEntityTooLarge:
        return _refused_table(pages, too_large)
    if not valid:
        if form.errors.get("csrf_token"):
            return _page(pages, 400, form=form,
                         refusal=_("The form expired. Please submit it again."))
        return _page(pages, 400, form=form)
    file = form.file.data
    try:
        preview = pages.prepare(_db(), current_learner(), file.filename or "",
                                read_bounded(file.stream))
    except TableRefused as error:
        return _refused_table(pages, error, form)
    if preview.problems:
        return _page(pages, 400, form=form, problems=problem_lines(preview.problems))
    return _no_store(make_response(_page(pages, form=form, preview=preview,
                                         confirm=ConfirmImportForm(formdata=None,
                                                                   token=preview.token))))


def confirm(pages: ImportPages):
    """Import the previewed rows once; a replay or a second tab finds them taken."""
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        return _page(pages, 400, refusal=BATCH_REFUSALS["unknown"][1])
    try:
        batch = pages.confirm(_db(), current_learner(), form.token.data)
    except BatchRefused as error:
        status, message = BATCH_REFUSALS[error.reason]
        return _page(pages, status, refusal=message, done_batch_id=error.batch_id)
    except ImportStale as error:
        return _page(pages, 409, stale=True, problems=problem_lines(error.problems))
    return redirect(pages.url("result", batch_id=batch.id), 303)


def result(pages: ImportPages, batch_id: int):
    batch = import_batches.confirmed_batch(_db(), current_learner(), pages.kind, batch_id)
    return _no_store(make_response(render_template(
        "lms/admin/import_result.html", pages=pages, batch=batch,
        counts=batch.summary.get("counts", {}),
        passwords=import_batches.passwords_available(batch),
        download=DownloadPasswordsForm(formdata=None))))


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    return _no_store(Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
        "X-Content-Type-Options": "nosniff",
    }))


def passwords(pages: ImportPages, batch_id: int):
    """The new people's one-time passwords as XLSX, once; then they are gone."""
    if not DownloadPasswordsForm().validate_on_submit():
        return _page(pages, 400, refusal=_("The form expired. Please submit it again."))
    try:
        entries = import_batches.take_passwords(_db(), current_learner(), pages.kind, batch_id)
    except BatchRefused as error:
        status, message = BATCH_REFUSALS[error.reason]
        return _no_store(make_response(render_template(
            "lms/admin/import_result.html", pages=pages, gone=message,
            batch=None, counts={}, passwords=False, download=None), status))
    data = spreadsheet.write_xlsx(
        [_("Username"), _("Name"), _("One-time password")],
        [(entry["username"], entry["name"], entry["password"]) for entry in entries],
        title=_("One-time passwords"), widths=[20, 16, 20])
    return _download(data, _("one-time-passwords-%(id)s.xlsx", id=batch_id),
                     spreadsheet.XLSX_MIMETYPE)


def template(pages: ImportPages, kind: str):
    """The import template: the header row only, so nothing in it is imported by mistake."""
    if kind == "csv":
        return _download(spreadsheet.csv_bytes(pages.header, []),
                         f"{pages.template_name}.csv", spreadsheet.CSV_MIMETYPE)
    if kind == "xlsx":
        return _download(spreadsheet.write_xlsx(pages.header, [], title=pages.template_name,
                                                widths=[18] * len(pages.header)),
                         f"{pages.template_name}.xlsx", spreadsheet.XLSX_MIMETYPE)
    raise NotFound(f"no {kind} template")
