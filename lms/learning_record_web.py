"""学习档案 over the web: the page's wording, the PDF and the workbook.

The trainee's routes (``lms.learn.record``) and the admin's (``lms.admin.person_record``)
answer with the same three things for one person, so they live here rather than in either
room. Everything is worded in the reader's language; a PDF that cannot be made (WeasyPrint
or Pango missing) raises ``PdfUnavailable``, which the root blueprint answers with a 503 page.
"""

from __future__ import annotations

import io
from datetime import date

from flask import Response, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.services import spreadsheet
from lms.services.certificates import grouped
from lms.services.learning_record import LearningRecord
from lms.services.pdf import render_pdf

STATUS_LABELS = {"not_started": _l("Not started"), "in_progress": _l("In progress"),
                 "completed": _l("Completed"), "overdue": _l("Overdue")}
KIND_LABELS = {"online": _l("Online training"), "central": _l("Central training"),
               "group": _l("Group study")}
UNSAFE_IN_NAMES = '\\/:*?"<>|\r\n\t'


def verify_url(code: str) -> str:
    """Where anyone checks a certificate: the public verify page."""
    return url_for("lms.public.verify", code=code)


def page_context(record: LearningRecord) -> dict:
    """What ``templates/lms/_learning_record.html`` needs besides the record."""
    return {"record": record, "status_labels": STATUS_LABELS, "kind_labels": KIND_LABELS,
            "verify_url": verify_url, "grouped": grouped}


def _send(body: bytes, mimetype: str, record: LearningRecord, today: date,
          extension: str) -> Response:
    name = "-".join(part for part in (
        str(_("Learning record")),
        "".join(c for c in record.name if c not in UNSAFE_IN_NAMES).strip(),
        today.isoformat()) if part)
    response = send_file(io.BytesIO(body), mimetype=mimetype, as_attachment=True,
                         download_name=f"{name}.{extension}")
    response.headers["Cache-Control"] = "no-store"  # a person's record: keep no copies
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def pdf_response(record: LearningRecord, today: date) -> Response:
    html = render_template("lms/print/learning_record.html", generated_on=today,
                           **page_context(record))
    return _send(render_pdf(html), "application/pdf", record, today, "pdf")


def _number(hours: float) -> float | int:
    """7.0 as 7, so a cell reads as people write it; 0.25 stays."""
    return int(hours) if float(hours).is_integer() else hours


def workbook(record: LearningRecord) -> bytes:
    """Sheets 课程, 学时 and 证书; text cells are escaped against formula injection."""
    course_rows: list[tuple] = [
        (line.title, line.enrolled_on, line.completed_on, line.due_on,
         str(STATUS_LABELS[line.status]), _number(line.hours),
         None if line.average_score is None else round(line.average_score, 1),
         "; ".join(f"{score.module_title}: {score.best_score:g}" for score in line.scores))
        for line in record.courses]
    if record.rounds:  # below the courses: recurring courses' closed rounds
        course_rows += [(), (_("Earlier rounds"), _("Training cycle"), _("Started on"),
                             _("Completed on"), _("Due date"))]
        course_rows += [(line.title, _("Training cycle %(n)s", n=line.cycle), line.started_on,
                         line.completed_on, line.due_on) for line in record.rounds]
    courses = spreadsheet.Sheet(
        str(_("Courses")),
        [_("Course"), _("Enrolled on"), _("Completed on"), _("Due date"), _("Status"),
         _("Hours"), _("Average best score"), _("Best scores")],
        course_rows, widths=[30, 14, 14, 14, 12, 10, 14, 50])
    hours_rows: list[tuple] = [
        (year.year, *(_number(value) for value in (year.online, year.central, year.group,
                                                    year.total)))
        for year in (*record.years, record.totals)]
    hours_rows[-1] = (_("All years"), *hours_rows[-1][1:])
    if record.offline:  # below the years: the sessions behind 集中培训 and 集体学习
        hours_rows += [(), (_("Session"), _("Date"), _("Kind"), _("Hours"))]
        hours_rows += [(line.title, line.held_on, str(KIND_LABELS[line.kind]),
                        _number(line.hours)) for line in record.offline]
    hours_sheet = spreadsheet.Sheet(
        str(_("Study hours")),
        [_("Year"), *(str(label) for label in KIND_LABELS.values()), _("Total")],
        hours_rows, widths=[30, 14, 14, 14, 10])
    certificates = spreadsheet.Sheet(
        str(_("Certificates")),
        [_("Certificate code"), _("Course"), _("Completed on"), _("Hours"), _("Revoked")],
        [(grouped(line.code), line.course_title, line.completed_on, _number(line.hours),
          _("Yes") if line.revoked else _("No")) for line in record.certificates],
        widths=[20, 30, 14, 10, 10])
    return spreadsheet.write_workbook([courses, hours_sheet, certificates])


def xlsx_response(record: LearningRecord, today: date) -> Response:
    return _send(workbook(record), spreadsheet.XLSX_MIMETYPE, record, today, "xlsx")
