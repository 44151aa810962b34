"""``flask lms stats …``: the dashboard's numbers, and recounting them from the raw rows."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select

from lms.cli_help import N_, LmsGroup
from lms.cli_wording import no_course
from lms.models import Course
from lms.services import stats_rebuild


@click.group("stats", cls=LmsGroup, help=N_("Completion statistics: the dashboard's numbers of one course "
                            "(--course SLUG [--unit PATH] [--json]), or a subcommand."),
             invoke_without_command=True)
@click.option("--course", "course_slug", help=N_("The course (its slug)."))
@click.option("--unit", "unit_path", help=N_("A unit's name path, e.g. 党委/第一党总支 "
                                          "(default: every top unit)."))
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]),
              help=N_("First day of the weekly completions (default: 11 weeks before --to)."))
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]),
              help=N_("Last day of the weekly completions (default: today)."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON instead of tables."))
@click.pass_context
def stats_cli(context: click.Context, course_slug: str | None, unit_path: str | None,
              start, end, as_json: bool) -> None:
    if context.invoked_subcommand is not None:
        return
    if course_slug is None:
        click.echo(context.get_help())
        return
    from lms.cli_stats_report import print_report

    context.invoke(print_report, course_slug=course_slug, unit_path=unit_path,
                   start=start.date() if start else None, end=end.date() if end else None,
                   as_json=as_json)


@stats_cli.command("rebuild", help=N_("Recount every completion and 学时 counter from the raw "
                                   "records (after a restore, or to check them)."))
@click.option("--course", "course_slug", help=N_("Only this course (its slug)."))
@with_appcontext
def rebuild_command(course_slug: str | None) -> None:
    session = current_app.extensions["lms"].session()
    course_id = None
    if course_slug:
        course_id = session.scalar(select(Course.id).where(Course.slug == course_slug))
        if course_id is None:
            raise click.ClickException(no_course(course_slug))
    with click.progressbar(length=1, label=_("Recounting"), file=sys.stderr) as bar:
        def advance(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        stats_rebuild.rebuild(session, course_id=course_id, progress=advance)
    click.echo(_("The counters were recounted from the raw records."))
