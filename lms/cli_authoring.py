"""``flask lms import-article``: an article (.txt or .docx) becomes a draft course folder.

The folder is written, not loaded: the trainer reviews it (or edits it in the browser) and
loads it with ``flask lms load-courses``; its ``published: false`` keeps it from trainees.
Messages are in the site's default language, like every report the CLI prints for people.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _

from lms.author.article_wording import unreadable_text, warning_text
from lms.cli_help import N_, LmsCommand
from lms.content.article_import import ArticleUnreadable, import_article
from lms.content.article_source import MAX_ARTICLE_BYTES
from lms.content.loader import SLUG
from lms.problems import Problem


def _check_slug(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not SLUG.fullmatch(value):
        raise click.BadParameter(_("use lower-case letters, digits and dashes, e.g. "
                                   "dangshi-2024"))
    return value


def _lines(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


@click.command("import-article", cls=LmsCommand, help=N_("Turn an article (.txt or .docx) into a draft course "
                                      "folder to review, then load with load-courses."))
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--slug", required=True, callback=_check_slug, help=N_("The new course's slug."))
@click.option("--out", type=click.Path(), help=N_("Folder to write (default: the courses "
                                               "folder / SLUG)."))
@click.option("--title", help=N_("Course title (default: the article's first line)."))
@click.option("--force", is_flag=True, help=N_("Overwrite the files of an existing folder."))
@with_appcontext
def import_article_command(file: str, slug: str, out: str | None, title: str | None,
                           force: bool) -> None:
    from lms.cli import _courses_root  # lms.cli registers this command: import it late

    path = Path(file)
    folder = Path(out) if out else _courses_root(None) / slug
    with force_locale(current_app.config["LMS_DEFAULT_LOCALE"]):
        with path.open("rb") as handle:
            data = handle.read(MAX_ARTICLE_BYTES + 1)  # more than the limit is refused
        try:
            draft = import_article(data, path.name, slug, title=title)
        except ArticleUnreadable as error:
            click.echo(f"{path}: {unreadable_text(error)}", err=True)
            sys.exit(1)
        except ValueError as error:  # a bad slug or title: a Problem, in the CLI's language
            raise click.UsageError(error.translated() if isinstance(error, Problem)
                                   else str(error)) from None
        if folder.exists() and (not folder.is_dir() or (any(folder.iterdir()) and not force)):
            raise click.ClickException(_("%(folder)s already exists: choose another --out, "
                                         "or add --force to overwrite its files.",
                                         folder=str(folder)))
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in draft.files.items():
            (folder / name).write_bytes(text.encode("utf-8"))
        for warning in draft.warnings:
            click.echo(f"{path}:{_lines(warning.first_line, warning.last_line)}: "
                       f"{warning_text(warning)}")
        summary = draft.summary
        click.echo(_("Wrote the draft course %(slug)s to %(folder)s: %(modules)d modules, "
                     "%(paragraphs)d paragraphs, %(warnings)d warnings.", slug=slug,
                     folder=str(folder), modules=summary.modules,
                     paragraphs=summary.paragraphs, warnings=summary.warnings))
        click.echo(_("It is a draft, hidden from trainees: review it, then load it with "
                     "“flask --app wsgi lms load-courses %(folder)s”.", folder=str(folder)))
