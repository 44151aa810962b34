"""``flask lms demo-data``: a believable organisation with progress, for trying and benchmarking
the admin room."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click
import yaml
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from lms.cli_help import N_, LmsCommand
from lms.content.loader import CourseInvalid, find_course_folders, read_course
from lms.models import Course
from lms.resources import resource_dir
from lms.services import catalog
from lms.services.demo_course import BENCH_SLUG, write_bench_course
from lms.services.demo_data import (
    PHASES,
    DemoDataRefused,
    create_demo_data,
    demo_people,
    real_people,
)
from lms.services.errors import NotFound

BAR = 1000


def _read(folder: Path):
    state = current_app.extensions["lms"]
    try:
        return read_course(folder, state.question_types,
                           current_app.config["LMS_DEFAULT_PASS_MARK"])
    except CourseInvalid as error:
        raise click.ClickException(_("%(folder)s: not loaded: %(problem)s",
                                     folder=folder.name, problem=error.problems[0])) from None


def _load_missing_courses() -> None:
    """Load the bundled (or configured) course folders not in the database yet, as
    `flask lms load-courses` would; courses already loaded are left as they are."""
    configured = current_app.config.get("LMS_COURSES_DIR")
    root = Path(configured) if configured else resource_dir("courses")
    db = current_app.extensions["lms"].session()
    loaded = set(db.scalars(select(Course.slug)))
    for folder in find_course_folders(root):
        try:  # reading the slug alone is cheap; reading a whole course is not
            slug = yaml.safe_load((folder / "course.yml").read_text("utf-8")).get("slug")
        except (OSError, ValueError, AttributeError, yaml.YAMLError):
            slug = None
        if slug not in loaded:
            catalog.upsert_course(db, _read(folder))


@click.command("demo-data", cls=LmsCommand,
               help=N_("Fill the database with a demo organisation: units, trainees, assignments, "
                    "progress and quiz attempts (bulk inserts; 100 000 people take minutes)."))
@click.option("--trainees", type=click.IntRange(1, 1_000_000), default=1000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True,
              help=N_("The same seed gives the same people and progress."))
@click.option("--course", "courses", multiple=True, metavar="SLUG",
              help=N_("Assign this course (repeatable); default: every published course."))
@click.option("--modules", type=click.IntRange(1, 200),
              help=N_("Also load a generated course 'bench' with this many modules."))
@click.option("--force", is_flag=True,
              help=N_("Run even though the database holds real trainees or trainers."))
@with_appcontext
def demo_data_command(trainees: int, seed: int, courses: tuple[str, ...], modules: int | None,
                      force: bool) -> None:
    state = current_app.extensions["lms"]
    db = state.session()
    if not force and real_people(db):
        raise click.ClickException(_(
            "This database holds real people: demo data would mix with them. Use an empty "
            "database, or add --force."))
    if demo_people(db):
        raise click.ClickException(_("This database holds demo data already: start from an "
                                     "empty one."))
    _load_missing_courses()
    if modules:
        with tempfile.TemporaryDirectory() as folder:
            catalog.upsert_course(db, _read(write_bench_course(Path(folder) / BENCH_SLUG,
                                                               modules)))
    weights = list(PHASES.values())
    offsets = {phase: sum(weights[:i]) for i, phase in enumerate(PHASES)}
    scale = BAR / sum(weights)
    with click.progressbar(length=BAR, label=_("Creating demo data"), file=sys.stderr,
                           item_show_func=lambda phase: phase or "") as bar:
        def progress(phase: str, done: int, total: int) -> None:
            target = int((offsets[phase] + PHASES[phase] * done / max(total, 1)) * scale)
            bar.update(max(0, target - bar.pos), current_item=phase)

        try:  # grading feedback is stored in the language it was given in: the default one
            with force_locale(current_app.config["LMS_DEFAULT_LOCALE"]):
                summary = create_demo_data(db, state.question_types, trainees=trainees,
                                           seed=seed, course_slugs=courses, force=force,
                                           progress=progress)
        except DemoDataRefused as error:  # checked above: another run came in between
            raise click.ClickException(str(error)) from None
        except NotFound:
            raise click.ClickException(
                _("Not all of these courses are published: %(slugs)s", slugs=", ".join(courses))
                if courses else _("No course is published: load the courses first.")) from None
        bar.update(BAR - bar.pos, current_item=_("done"))
    click.echo(_("Created %(units)s units, %(people)s trainees, %(enrollments)s enrollments "
                 "(%(completed)s completed) and %(attempts)s quiz attempts.",
                 units=summary.units, people=summary.people, enrollments=summary.enrollments,
                 completed=summary.completed, attempts=summary.attempts))
    if not summary.counters_rebuilt:
        click.echo(_("The statistics counters were not rebuilt: run `flask lms stats rebuild`."),
                   err=True)
    click.echo(_("Every demo trainee signs in with this password (shown only this once): "
                 "%(password)s", password=summary.password))
