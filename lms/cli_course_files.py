"""``flask lms export-course`` and ``import-course``: a course folder as a zip, both ways.

``report_lines`` is the per-course report ``load-courses`` prints too, so loading files over
a course edited in the browser says what it replaced, and ``--dry-run`` what it would.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from lms.content.course_writer import CourseWriteError
from lms.content.course_zip import LIMITS, MB, CourseZipError
from lms.content.loader import CourseInvalid
from lms.services import course_files
from lms.services.course_files import CourseLoad
from lms.services.errors import InvalidInput, NotFound

DRY_RUN_DONE = "Dry run: nothing was written."


def report_lines(load: CourseLoad) -> list[str]:
    """``slug: updated (9 modules)`` then ``  version 4: modules changed: …``."""
    if load.dry_run:
        verb = ("would be created" if load.created else "would be updated" if load.changed
                else "unchanged")
    else:
        verb = "created" if load.created else "updated" if load.changed else "unchanged"
    lines = [f"{load.slug}: {verb} ({load.modules} modules)"]
    if load.changed:
        lines.append(f"  version {load.version}" + (
            "" if load.created or load.changes is None else f": {load.changes.summary()}"))
    lines.extend(f"warning: {warning}" for warning in load.warnings)
    return lines


@click.command("export-course", help="Export a course's current version as a zip of its "
                                      "course folder (the same content gives the same bytes).")
@click.argument("slug")
@click.option("--out", type=click.Path(dir_okay=False, writable=True),
              help="Zip file to write (default: SLUG.zip in the current folder).")
@with_appcontext
def export_course_command(slug: str, out: str | None) -> None:
    state = current_app.extensions["lms"]
    db = state.session()
    try:
        course = course_files.find_course(db, slug)
        name, data = course_files.export_course_zip(db, course, state.question_types)
    except NotFound as error:
        raise click.UsageError(str(error)) from None
    except CourseWriteError as error:
        click.echo(f"{slug}: cannot be exported: {error}", err=True)
        sys.exit(1)
    path = Path(out or name)
    path.write_bytes(data)
    click.echo(f"Exported {slug} to {path} ({len(data)} bytes).")


@click.command("import-course", help="Import a course zip (as exported) as a new version of "
                                      "its course, or a new course.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@with_appcontext
def import_course_command(file: str, dry_run: bool) -> None:
    state = current_app.extensions["lms"]
    path = Path(file)
    if path.stat().st_size > LIMITS.zip_bytes:  # refused before reading it into memory
        _fail(path, [f"the zip is larger than {LIMITS.zip_bytes // MB} MB"])
    try:
        load = course_files.import_course_zip(
            state.session(), state.question_types, path.read_bytes(), dry_run=dry_run,
            default_pass_mark=current_app.config["LMS_DEFAULT_PASS_MARK"])
    except CourseZipError as error:
        _fail(path, [str(error)])
    except CourseInvalid as error:
        _fail(path, [str(problem) for problem in error.problems])
    except InvalidInput as error:
        _fail(path, [error.message])
    for line in report_lines(load):
        click.echo(line)
    if dry_run:
        click.echo(DRY_RUN_DONE)


def _fail(path: Path, messages: list[str]) -> None:
    for message in messages:
        click.echo(f"{path}: {message}", err=True)
    click.echo("Nothing was imported.", err=True)
    sys.exit(1)
