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
from flask_babel import gettext as _

from lms.author.zip_wording import zip_refusal_text
from lms.cli_help import N_, LmsCommand
from lms.cli_wording import no_course
from lms.content.course_writer import CourseWriteError
from lms.content.course_zip import LIMITS, MB, CourseZipError
from lms.content.loader import CourseInvalid
from lms.services import course_files
from lms.services.course_files import CourseLoad
from lms.services.errors import InvalidInput, NotFound
from lms.services.versioning import VersionChanges


def dry_run_done() -> str:
    return _("Dry run: nothing was written.")


def report_lines(load: CourseLoad) -> list[str]:
    """``slug: updated (9 modules)`` then ``  version 4: modules changed: …``, in the site's
    language."""
    params = {"slug": load.slug, "count": load.modules}
    if load.created:
        line = (_("%(slug)s: would be created (%(count)s modules)", **params) if load.dry_run
                else _("%(slug)s: created (%(count)s modules)", **params))
    elif load.changed:
        line = (_("%(slug)s: would be updated (%(count)s modules)", **params) if load.dry_run
                else _("%(slug)s: updated (%(count)s modules)", **params))
    else:
        line = _("%(slug)s: unchanged (%(count)s modules)", **params)
    lines = [line]
    if load.changed:
        changes = ("" if load.created or load.changes is None
                   else change_summary(load.changes))
        lines.append(_("  version %(number)s: %(changes)s", number=load.version,
                       changes=changes) if changes else
                     _("  version %(number)s", number=load.version))
    lines.extend(_("warning: %(warning)s", warning=warning) for warning in load.warnings)
    return lines


def change_summary(changes: VersionChanges) -> str:
    """One line, e.g. "modules changed: a; questions revised: a/q1", with slugs and keys."""
    parts = [_("restores version %(number)s", number=changes.restored_from)
             ] if changes.restored_from else []
    parts += [_("details changed")] if changes.details_changed else []
    for label, values in ((_("modules added"), changes.modules_added),
                          (_("modules changed"), changes.modules_changed),
                          (_("modules removed"), changes.modules_removed),
                          (_("questions added"), changes.questions_added),
                          (_("questions revised"), changes.questions_revised),
                          (_("questions removed"), changes.questions_removed)):
        if values:
            parts.append(_("%(label)s: %(names)s", label=label, names=", ".join(values)))
    if changes.modules_reordered:
        parts.append(_("modules reordered"))
    return "; ".join(parts) or _("first version")


@click.command("export-course", cls=LmsCommand, help=N_("Export a course's current version as a zip of its "
                                      "course folder (the same content gives the same bytes)."))
@click.argument("slug")
@click.option("--out", type=click.Path(dir_okay=False, writable=True),
              help=N_("Zip file to write (default: SLUG.zip in the current folder)."))
@with_appcontext
def export_course_command(slug: str, out: str | None) -> None:
    state = current_app.extensions["lms"]
    db = state.session()
    try:
        course = course_files.find_course(db, slug)
        name, data = course_files.export_course_zip(db, course, state.question_types)
    except NotFound:
        raise click.UsageError(no_course(slug)) from None
    except CourseWriteError as error:
        click.echo(_("%(slug)s cannot be exported: %(reason)s", slug=slug, reason=error),
                   err=True)
        sys.exit(1)
    path = Path(out or name)
    if not path.parent.exists():
        raise click.UsageError(_("The folder %(folder)s does not exist: create it first, or "
                                 "choose another --out.", folder=str(path.parent)))
    try:
        path.write_bytes(data)
    except OSError as error:
        raise click.ClickException(_("%(file)s could not be written: %(reason)s",
                                     file=str(path), reason=error.strerror or error)) from None
    click.echo(_("Exported %(slug)s to %(file)s (%(size)s bytes).", slug=slug, file=str(path),
                 size=len(data)))


@click.command("import-course", cls=LmsCommand, help=N_("Import a course zip (as exported) as a new version of "
                                      "its course, or a new course."))
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help=N_("Say what would change; write nothing."))
@with_appcontext
def import_course_command(file: str, dry_run: bool) -> None:
    state = current_app.extensions["lms"]
    path = Path(file)
    if path.stat().st_size > LIMITS.zip_bytes:  # refused before reading it into memory
        _fail(path, [_("The zip is larger than %(zip_mb)d MB.", zip_mb=LIMITS.zip_bytes // MB)])
    try:
        load = course_files.import_course_zip(
            state.session(), state.question_types, path.read_bytes(), dry_run=dry_run,
            default_pass_mark=current_app.config["LMS_DEFAULT_PASS_MARK"])
    except CourseZipError as error:
        _fail(path, [zip_refusal_text(error)])
    except CourseInvalid as error:
        _fail(path, [str(problem) for problem in error.problems])
    except InvalidInput as error:
        _fail(path, [error.message])
    for line in report_lines(load):
        click.echo(line)
    if dry_run:
        click.echo(dry_run_done())


def _fail(path: Path, messages: list[str]) -> None:
    for message in messages:
        click.echo(f"{path}: {message}", err=True)
    click.echo(_("Nothing was imported."), err=True)
    sys.exit(1)
