"""Completion statistics pages: courses → a course's units → sub-units → a person → modules.

Thin views: find the course (published or not) and the unit, check ``admin_unit`` (a unit
admin sees their subtree only: 403 outside, 404 for what does not exist), then one report
call. Every table on a page comes from ``stats_report`` and downloads through
``stats_exports``, so a page and its files show the same numbers.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import render_template, request, url_for
from flask_babel import gettext as _

from lms.admin import bp, charts, stats_exports, stats_labels
from lms.admin.views import _db, _require_admin_room
from lms.auth.session import current_require, current_scope, login_required
from lms.content.course_rules import course_rules
from lms.db import MAX_ID
from lms.models import Course, OrgUnit, User
from lms.request_args import DateInRange, date_in_range, id_arg, page_arg
from lms.services import org_admin, recurrence, stats_people, stats_report
from lms.services.assignments import today
from lms.services.errors import NotFound
from lms.services.org import ancestor_ids, unit_names
from lms.services.permissions import Action

PEOPLE_PAGE = 50
DEFAULT_WEEKS = 12
MAX_DAYS = 5 * 366
SMALL_TABLES = ("summary", "units", "funnel", "scores", "weekly", "least_complete")
STREAMED = ("people", "overdue")


def _format(fmt: str) -> str:
    if fmt not in stats_exports.FORMATS:
        raise NotFound(f"no export format {fmt!r}")
    return fmt


def _course(slug: str) -> Course:
    _require_admin_room()
    return stats_report.get_course(_db(), slug)


def _unit(unit_id: int) -> OrgUnit:
    if not 0 < unit_id <= MAX_ID:
        raise NotFound(f"no org unit {unit_id}")
    unit = org_admin.get_unit(_db(), unit_id)
    current_require(Action.ADMIN_UNIT, unit)
    return unit


def _paths(unit: OrgUnit | None) -> list[str]:
    if unit is not None:
        return [unit.path]
    return [root.path for root in stats_report.scope_roots(_db(), current_scope())]


def _weeks() -> tuple[date, date, str | None]:
    """The weekly chart's range from GET ``from``/``to`` (default: the last 12 weeks)."""
    end = today()
    start = end - timedelta(weeks=DEFAULT_WEEKS - 1)
    try:
        chosen_start = date.fromisoformat(request.args.get("from") or start.isoformat())
        chosen_end = date.fromisoformat(request.args.get("to") or end.isoformat())
    except ValueError:
        return start, end, _("Enter dates as YYYY-MM-DD.")
    if not (date_in_range(chosen_start) and date_in_range(chosen_end)):
        return start, end, str(DateInRange.message)
    if chosen_start > chosen_end:
        return start, end, _("The start date must not be after the end date.")
    if (chosen_end - chosen_start).days > MAX_DAYS:
        return start, end, _("Choose a range of at most five years.")
    return chosen_start, chosen_end, None


def _crumbs(unit: OrgUnit | None) -> list[tuple[int, str]]:
    """The unit's ancestors the viewer administers, from the top of their scope down."""
    if unit is None:
        return []
    scope = current_scope()
    ids = ancestor_ids(unit.path)
    names = unit_names(_db(), ids)
    crumbs = []
    for depth, unit_id in enumerate(ids):
        path = "/" + "/".join(str(i) for i in ids[:depth + 1]) + "/"
        if scope.everything or any(path.startswith(top) for top in scope.unit_paths):
            crumbs.append((unit_id, names.get(unit_id, f"#{unit_id}")))
    return crumbs


def _unit_url(course: Course, unit_id: int) -> str:
    return url_for("lms.admin.stats_unit", course_slug=course.slug, unit_id=unit_id)


def _person_url(course: Course, unit_id: int, user_id: int) -> str:
    return url_for("lms.admin.stats_person", course_slug=course.slug, unit_id=unit_id,
                   user_id=user_id)


def _people_table(course: Course, unit: OrgUnit, report: stats_report.Report):
    """One page of the people directly in ``unit``; the total comes from the counters."""
    total = next((row.totals.learners for row in report.level if row.own), 0)
    pages = max(1, -(-total // PEOPLE_PAGE))
    number = min(page_arg(), pages)
    table = stats_report.Table("people", stats_report.PEOPLE_COLUMNS)
    for line in stats_people.page(_db(), course, stats_people.unit_query(course.id, unit.id),
                                  report.today, number=number, size=PEOPLE_PAGE):
        table.add(stats_report.people_row(line), _person_url(course, unit.id, line.user_id))
    return table, total, number, pages


def _rounds(course: Course, unit: OrgUnit | None, report) -> dict[str, int] | None:
    """Where the assigned people's rounds stand, for a recurring course only."""
    if not course_rules(course).recur_months:
        return None
    paths = [unit.path] if unit is not None else [row.unit.path for row in report.level]
    return recurrence.round_status(_db(), course.id, paths, report.today)


def _dashboard(course: Course, unit: OrgUnit | None):
    start, end, error = _weeks()
    report = stats_report.report(_db(), current_scope(), course, unit, today=today(),
                                 start=start, end=end)
    people = _people_table(course, unit, report) if unit is not None else None
    links = {"units": [None if row.own else _unit_url(course, row.unit.id)
                       for row in report.level],
             "least_complete": [_unit_url(course, unit_id)
                                for unit_id in report.tables["least_complete"].refs]}
    bars = charts.bars([
        (_("%(name)s (directly)", name=row.unit.name) if row.own else row.unit.name,
         row.totals.completion_percent,
         stats_labels.page_cell("completion_percent", row.totals.completion_percent))
        for row in report.level])
    return render_template(
        "lms/admin/stats_course.html", course=course, unit=unit, report=report,
        recur_months=course_rules(course).recur_months, rounds=_rounds(course, unit, report),
        crumbs=_crumbs(unit), people=people, links=links, labels=stats_labels, bars=bars,
        line=charts.line([(week, count) for week, count in report.tables["weekly"].rows]),
        columns=charts.columns([(row[0], row[1]) for row in report.tables["scores"].rows]),
        range_error=error, chosen_from=request.args.get("from", report.start.isoformat()),
        chosen_to=request.args.get("to", report.end.isoformat()),
        export_url=export_url), 400 if error else 200


@bp.route("/stats")
@login_required
def stats_index():
    _require_admin_room()
    table = stats_report.course_list(_db(), current_scope(), today())
    links = [url_for("lms.admin.stats_course", course_slug=slug) for slug in table.refs]
    return render_template("lms/admin/stats_index.html", table=table, labels=stats_labels,
                           links=links)


@bp.route("/stats.<fmt>")
@login_required
def stats_courses_export(fmt: str):
    _require_admin_room()
    fmt = _format(fmt)
    table = stats_report.course_list(_db(), current_scope(), today())
    name = stats_exports.filename([str(stats_labels.TITLES["courses"])], today(), fmt)
    return stats_exports.table_download(table, fmt, name, f"courses-{today()}.{fmt}")


@bp.route("/stats/<course_slug>")
@login_required
def stats_course(course_slug: str):
    return _dashboard(_course(course_slug), None)


@bp.route("/stats/<course_slug>/units/<lms_id:unit_id>")
@login_required
def stats_unit(course_slug: str, unit_id: int):
    course = _course(course_slug)
    return _dashboard(course, _unit(unit_id))


def _export(course: Course, unit: OrgUnit | None, table_name: str, fmt: str):
    fmt = _format(fmt)
    if table_name not in SMALL_TABLES + STREAMED:
        raise NotFound(f"no table {table_name!r}")
    day = today()
    name = stats_exports.filename([course.slug, unit.name if unit is not None else "",
                                   str(stats_labels.TITLES[table_name])], day, fmt)
    fallback = f"{course.slug}-{table_name}-{day}.{fmt}"
    if table_name in STREAMED:
        return _stream(course, unit, table_name, fmt, day, name, fallback)
    start, end, _error = _weeks()
    report = stats_report.report(_db(), current_scope(), course, unit, today=day,
                                 start=start, end=end)
    return stats_exports.table_download(report.tables[table_name], fmt, name, fallback)


def _stream(course: Course, unit: OrgUnit | None, table_name: str, fmt: str, day: date,
            name: str, fallback: str):
    """A person-level list, read while it is sent: the rows function gets its own session
    (the request's is closed by then) and only plain values from here."""
    course_id, paths = course.id, _paths(unit)
    if table_name == "overdue":
        query = stats_people.overdue_query(course_id, paths, day)
        columns = stats_report.OVERDUE_COLUMNS

        def row(line):
            return stats_report.overdue_row(line, day)
    else:
        if unit is not None and request.args.get("direct") == "1":
            query = stats_people.unit_query(course_id, unit.id)
        else:
            query = stats_people.subtree_query(course_id, paths)
        columns, row = stats_report.PEOPLE_COLUMNS, stats_report.people_row

    def rows(session):
        streamed = session.get(Course, course_id)
        return (row(line) for line in stats_people.stream(session, streamed, query, day))

    return stats_exports.streamed_download(columns, rows, fmt,
                                           str(stats_labels.TITLES[table_name]), name, fallback)


@bp.route("/stats/<course_slug>/<table_name>.<fmt>")
@login_required
def stats_export(course_slug: str, table_name: str, fmt: str):
    return _export(_course(course_slug), None, table_name, fmt)


@bp.route("/stats/<course_slug>/units/<lms_id:unit_id>/<table_name>.<fmt>")
@login_required
def stats_unit_export(course_slug: str, unit_id: int, table_name: str, fmt: str):
    course = _course(course_slug)
    return _export(course, _unit(unit_id), table_name, fmt)


@bp.route("/stats/<course_slug>/overdue")
@login_required
def stats_overdue(course_slug: str):
    course = _course(course_slug)
    unit_id = id_arg("unit")
    unit = _unit(unit_id) if unit_id is not None else None
    day, paths = today(), _paths(unit)
    total = stats_report.overdue_total(_db(), course, paths, day)
    pages = max(1, -(-total // PEOPLE_PAGE))
    number = min(page_arg(), pages)
    table = stats_report.Table("overdue", stats_report.OVERDUE_COLUMNS)
    for line in stats_people.page(_db(), course, stats_people.overdue_query(
            course.id, paths, day), day, number=number, size=PEOPLE_PAGE):
        table.add(stats_report.overdue_row(line, day),
                  _person_url(course, line.unit_id, line.user_id))
    return render_template("lms/admin/stats_overdue.html", course=course, unit=unit,
                           table=table, total=total, page=number, pages=pages,
                           labels=stats_labels, crumbs=_crumbs(unit), export_url=export_url)


def _person(unit: OrgUnit, user_id: int) -> User:
    """A person in the unit's subtree (anyone else is not found here)."""
    person = _db().get(User, user_id) if 0 < user_id <= MAX_ID else None
    if person is None or person.org_unit is None or not person.org_unit.path.startswith(
            unit.path):
        raise NotFound(f"no person {user_id} in unit {unit.id}")
    return person


def _person_report(course_slug: str, unit_id: int, user_id: int):
    course = _course(course_slug)
    unit = _unit(unit_id)
    person = _person(unit, user_id)
    modules, course_reason = stats_people.person_modules(_db(), course, person)
    table = stats_report.Table("modules", stats_report.MODULE_COLUMNS)
    for line in modules:
        table.add(stats_report.module_row(line), line.module.id)
    return course, unit, person, table, course_reason


@bp.route("/stats/<course_slug>/units/<lms_id:unit_id>/people/<lms_id:user_id>")
@login_required
def stats_person(course_slug: str, unit_id: int, user_id: int):
    course, unit, person, table, course_reason = _person_report(course_slug, unit_id, user_id)
    line = stats_people.person_line(_db(), course, person, today())
    return render_template("lms/admin/stats_person.html", course=course, unit=unit,
                           person=person, line=line, table=table, course_reason=course_reason,
                           labels=stats_labels, crumbs=_crumbs(person.org_unit),
                           export_url=export_url)


@bp.route("/stats/<course_slug>/units/<lms_id:unit_id>/people/<lms_id:user_id>.<fmt>")
@login_required
def stats_person_export(course_slug: str, unit_id: int, user_id: int, fmt: str):
    course, unit, person, table, _reason = _person_report(course_slug, unit_id, user_id)
    fmt = _format(fmt)
    name = stats_exports.filename([course.slug, person.display_name,
                                   str(stats_labels.TITLES["modules"])], today(), fmt)
    return stats_exports.table_download(table, fmt, name,
                                        f"{course.slug}-{person.username}-{today()}.{fmt}")


def export_url(course: Course, unit: OrgUnit | None, table_name: str, fmt: str, **args) -> str:
    """The download link of one table of the page (for the templates)."""
    if unit is None:
        return url_for("lms.admin.stats_export", course_slug=course.slug, table_name=table_name,
                       fmt=fmt, **args)
    return url_for("lms.admin.stats_unit_export", course_slug=course.slug, unit_id=unit.id,
                   table_name=table_name, fmt=fmt, **args)

