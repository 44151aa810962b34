"""学时 in the statistics: a subtree's year by kind and by unit, and who is below target.

Thin views as in ``stats``: the unit (``?unit=``, checked with ``admin_unit``: 403 outside
the admin's units, 404 when unknown) or else the admin's top units, and the year (``?year=``,
this year by default). The tables come from ``hours_stats`` and download through
``stats_exports`` (cells escaped against formulas), so the page and its files agree.
"""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _

from lms.admin import bp, charts, stats_exports, stats_labels
from lms.admin.stats import _crumbs, _format, _unit
from lms.admin.views import _db, _require_admin_room
from lms.auth.session import current_scope, login_required
from lms.models import OrgUnit
from lms.request_args import id_arg, page_arg
from lms.services import hours_stats, stats_queries, stats_report
from lms.services.assignments import today
from lms.services.errors import NotFound
from lms.services.hours_stats import KINDS, BelowTarget, Figures
from lms.services.hours_targets import configured_targets
from lms.services.stats_report import Table

PAGE = 50
YEARS_SHOWN = 6
EARLIEST_YEAR = 2000
KIND_COLUMNS = ("hours_kind", "hours_total", "hours_average")
UNIT_COLUMNS = ("unit", "on_roll", "hours_online", "hours_central", "hours_group",
                "hours_total", "hours_average")
#: What a phone shows first: who, and how far from the target.
BELOW_COLUMNS = ("name", "hours_shortfall", "hours_total", "hours_target", "duty", "unit",
                 "username")
TABLES = ("hours_kinds", "hours_units", "hours_below")


def _year() -> int:
    """``?year=`` from 2000 to next year; anything else is this year."""
    this = today().year
    year = request.args.get("year", type=int)
    return year if year is not None and EARLIEST_YEAR <= year <= this + 1 else this


def _where() -> tuple[OrgUnit | None, list[OrgUnit], list[str]]:
    """The chosen unit (or None), the level shown under it, and the subtrees' paths."""
    _require_admin_room()
    unit_id = id_arg("unit")
    if unit_id is None and request.args.get("unit"):
        raise NotFound("no org unit")
    if unit_id is None:
        roots = stats_report.scope_roots(_db(), current_scope())
        return None, roots, [root.path for root in roots]
    unit = _unit(unit_id)
    return unit, stats_queries.children(_db(), unit), [unit.path]


def _figure_tables(unit: OrgUnit | None, level: list[OrgUnit],
                   year: int) -> tuple[Figures, Table, Table]:
    total, rows = hours_stats.breakdown(_db(), level, unit, year)
    kinds = Table("hours_kinds", KIND_COLUMNS)
    for kind in KINDS:
        kinds.add([kind, total.hours(kind), total.average(kind)])
    kinds.add(["total", total.hours(), total.average()])
    units = Table("hours_units", UNIT_COLUMNS)
    for row in rows:
        name = _("%(name)s (directly)", name=row.unit.name) if row.own else row.unit.name
        figures = row.figures
        units.add([name, figures.people, *(figures.hours(kind) for kind in KINDS),
                   figures.hours(), figures.average()], None if row.own else row.unit.id)
    return total, kinds, units


def below_row(line: BelowTarget) -> list:
    return [line.display_name, line.shortfall, line.total, line.target, line.duty.value,
            line.unit_path, line.username]


def hours_url(unit: OrgUnit | int | None, year: int, **args) -> str:
    unit_id = unit.id if isinstance(unit, OrgUnit) else unit
    return url_for("lms.admin.stats_hours", unit=unit_id, year=year, **args)


def export_url(unit: OrgUnit | None, year: int, table: str, fmt: str) -> str:
    return url_for("lms.admin.stats_hours_export", table_name=table, fmt=fmt,
                   unit=unit.id if unit is not None else None, year=year)


@bp.route("/stats/hours")
@login_required
def stats_hours():
    unit, level, paths = _where()
    year = _year()
    total, kinds, units = _figure_tables(unit, level, year)
    query = hours_stats.below_target_query(paths, year, configured_targets())
    lines, below_total = hours_stats.below_target_page(_db(), query, number=page_arg(),
                                                       size=PAGE)
    pages = max(1, -(-below_total // PAGE))
    number = min(page_arg(), pages)
    below = Table("hours_below", BELOW_COLUMNS)
    for line in lines:
        below.add(below_row(line), url_for("lms.admin.person", person_id=line.user_id))
    peak = max((row[-1] or 0 for row in units.rows), default=0) or 1
    all_hours = total.hours() or 1
    this = today().year
    return render_template(
        "lms/admin/stats_hours.html", unit=unit, year=year, total=total, kinds=kinds,
        units=units, below=below, below_total=below_total, page=number, pages=pages,
        crumbs=_crumbs(unit), labels=stats_labels, targets=configured_targets(),
        years=sorted({year, *range(this, this - YEARS_SHOWN, -1)}, reverse=True),
        unit_links=[hours_url(ref, year) if ref else None for ref in units.refs],
        kind_bars=charts.bars([
            (str(stats_labels.VALUES["hours_kind"][kind]), 100 * total.hours(kind) / all_hours,
             _("%(hours)s hours", hours=format(total.hours(kind), "g"))) for kind in KINDS]),
        unit_bars=charts.bars([
            (row[0], 100 * (row[-1] or 0) / peak,
             _("%(hours)s hours per person", hours=format(row[-1] or 0, "g")))
            for row in units.rows]),
        hours_url=hours_url, export_url=export_url)


@bp.route("/stats/hours/<table_name>.<fmt>")
@login_required
def stats_hours_export(table_name: str, fmt: str):
    unit, level, paths = _where()
    fmt = _format(fmt)
    if table_name not in TABLES:
        raise NotFound(f"no table {table_name!r}")
    year, day = _year(), today()
    name = stats_exports.filename([unit.name if unit is not None else "", str(year),
                                   str(stats_labels.TITLES[table_name])], day, fmt)
    fallback = f"{table_name}-{year}-{day}.{fmt}"
    if table_name != "hours_below":
        _total, kinds, units = _figure_tables(unit, level, year)
        table = kinds if table_name == "hours_kinds" else units
        return stats_exports.table_download(table, fmt, name, fallback)
    query = hours_stats.below_target_query(paths, year, configured_targets())

    def rows(session):
        return (below_row(line) for line in hours_stats.below_target_stream(session, query))

    return stats_exports.streamed_download(BELOW_COLUMNS, rows, fmt,
                                           str(stats_labels.TITLES[table_name]), name, fallback)
