"""``flask lms import-questions`` and ``export-questions``: question banks from the shell.

The words are the trainer's import page's (lms.author.bank_problems), in ``LMS_DEFAULT_LOCALE``.
An export's format follows the file name, as an import's does (``question_bank.FORMATS``), so
what is written always opens in its program and imports again.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from lms.author.bank_problems import describe, refusal
from lms.cli_help import N_, LmsCommand
from lms.cli_wording import no_course
from lms.services import catalog, question_bank
from lms.services.bank_reimport import EXISTING
from lms.services.course_views import module_of
from lms.services.errors import InvalidInput, NotFound

SUFFIXES = {"gift": ".gift", "xlsx": ".xlsx"}  # what an export is named when the name says none


def _state():
    return current_app.extensions["lms"]


def _course_and_module(db, course_slug: str, module_slug: str | None):
    try:
        course = catalog.get_course(db, course_slug)
    except NotFound:
        raise click.UsageError(no_course(course_slug)) from None
    try:
        module = module_of(course, module_slug) if module_slug else None
    except NotFound:
        raise click.UsageError(_("The course %(course)s has no module %(module)s.",
                                 course=course_slug, module=module_slug)) from None
    return course, module


@click.command("import-questions", cls=LmsCommand,
               help=N_("Import a GIFT (.gift/.txt) or Excel (.xlsx) question bank into a module."))
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--course", "course_slug", required=True, help=N_("Course slug."))
@click.option("--module", "module_slug", required=True, help=N_("Module slug."))
@click.option("--existing", type=click.Choice(EXISTING), default="skip", show_default=True,
              help=N_("Questions the module already holds (same type and text): skip them, "
                   "update them as a new revision, or import them again as copies."))
@with_appcontext
def import_questions_command(file: str, course_slug: str, module_slug: str,
                             existing: str) -> None:
    state = _state()
    db = state.session()
    _course, module = _course_and_module(db, course_slug, module_slug)
    path = Path(file)
    try:
        parsed = question_bank.parse_bank(path.name, path.read_bytes(), state.question_types)
    except question_bank.BankInvalid as error:
        for problem in error.translated():
            click.echo(f"{path}: {problem}", err=True)
        click.echo(_("Nothing was imported."), err=True)
        sys.exit(1)
    except InvalidInput as error:
        raise click.UsageError(refusal(error)) from None
    for skipped in parsed.skipped:
        click.echo(_("%(file)s: not imported: %(reason)s", file=str(path),
                     reason=describe(skipped, state.question_types)), err=True)
    if parsed.examples:
        click.echo(_("%(file)s: the %(count)s example rows of the template (question text "
                     "starting with %(mark)s) were not imported.", file=str(path),
                     count=parsed.examples, mark="【示例】"), err=True)
    if not parsed.questions:
        click.echo(_("No question in the file can be imported."), err=True)
        sys.exit(1)
    with click.progressbar(length=len(parsed.questions), label=_("Importing questions"),
                           file=sys.stderr) as bar:
        counts = question_bank.import_questions(db, state.question_types, module,
                                                parsed.questions, existing=existing)
        bar.update(len(parsed.questions))
    lines = [_("Imported %(count)s questions into %(course)s/%(module)s (%(skipped)s could "
               "not be imported).", count=counts.added, course=course_slug,
               module=module_slug, skipped=len(parsed.skipped))]
    if counts.skipped:
        lines.append(_("%(count)s already there were skipped.", count=counts.skipped))
    if counts.updated:
        lines.append(_("%(count)s were updated.", count=counts.updated))
    click.echo(" ".join(lines))


def _export_format(out: Path, given: str | None) -> str:
    """The format the file name says (as an import reads it); a --format that disagrees, or
    a name that says none, is refused before anything is written."""
    implied = question_bank.FORMATS.get(out.suffix.lower())
    if implied is not None and given in (None, implied):
        return implied
    if given is None:
        raise click.UsageError(_("%(file)s does not end in .gift or .txt (GIFT) or .xlsx "
                                 "(Excel): the format follows the file name.", file=str(out)))
    raise click.UsageError(_("--format %(format)s does not match the file name %(file)s: name "
                             "it %(suggestion)s, so that it opens and imports again.",
                             format=given, file=str(out),
                             suggestion=str(out.with_suffix(SUFFIXES[given]))))


@click.command("export-questions", cls=LmsCommand,
               help=N_("Export a course's or a module's questions to the file --out. Its name "
                    "gives the format: .gift or .txt for GIFT, .xlsx for Excel, as an import "
                    "reads it."))
@click.option("--course", "course_slug", required=True, help=N_("Course slug."))
@click.option("--module", "module_slug", help=N_("Module slug (default: every module)."))
@click.option("--format", "kind", type=click.Choice(["gift", "xlsx"]),
              help=N_("gift or xlsx; optional, and if given it must agree with the name of --out."))
@click.option("--out", type=click.Path(dir_okay=False), required=True,
              help=N_("The file to write (.gift, .txt or .xlsx), in a folder that exists."))
@with_appcontext
def export_questions_command(course_slug: str, module_slug: str | None, kind: str | None,
                             out: str) -> None:
    path = Path(out)
    kind = _export_format(path, kind)
    if not path.parent.exists():
        raise click.UsageError(_("The folder %(folder)s does not exist: create it first, or "
                                 "choose another --out.", folder=str(path.parent)))
    db = _state().session()
    course, module = _course_and_module(db, course_slug, module_slug)
    questions = question_bank.questions_for_export(db, course, module)
    try:
        data = question_bank.export_bank(questions, kind, _state().question_types)
    except InvalidInput as error:
        raise click.ClickException(refusal(error)) from None
    try:
        path.write_bytes(data)
    except OSError as error:
        raise click.ClickException(_("%(file)s could not be written: %(reason)s", file=out,
                                     reason=error.strerror or error)) from None
    click.echo(_("Exported %(count)s questions to %(file)s.", count=len(questions), file=out))
