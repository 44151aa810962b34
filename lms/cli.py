"""The ``flask lms`` command group: schema, course files, accounts."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from lms import migrate
from lms.cli_accounts import set_password_command
from lms.cli_authoring import import_article_command
from lms.cli_certificates import certificates_cli
from lms.cli_course_files import (
    dry_run_done,
    export_course_command,
    import_course_command,
    report_lines,
)
from lms.cli_cycles import open_cycles_command
from lms.cli_demo import demo_data_command
from lms.cli_events import events_cli
from lms.cli_grants import grant_command, grants_command, revoke_command
from lms.cli_group import HELP
from lms.cli_help import N_, LmsGroup
from lms.cli_hours import hours_cli
from lms.cli_imports import imports_cli
from lms.cli_plugins import plugins_command
from lms.cli_questions import export_questions_command, import_questions_command
from lms.cli_reminders import send_reminders_command
from lms.cli_stats import stats_cli
from lms.cli_wording import refusal_text
from lms.content.loader import CourseInvalid, find_course_folders, read_course
from lms.models import Role
from lms.resources import resource_dir
from lms.services import accounts, catalog, course_files, demo
from lms.services.errors import InvalidInput
from lms.services.hours_targets import parse_duty


def _state():
    return current_app.extensions["lms"]


@click.group("lms", cls=LmsGroup, help=HELP)
def lms_cli() -> None:
    pass


@lms_cli.command("init", help=N_("Create or upgrade the database schema to the latest version."))
@with_appcontext
def init_command() -> None:
    engine = _state().engine
    before = migrate.current_revision(engine)
    migrate.upgrade(engine)
    after = migrate.current_revision(engine)
    if before == after:
        click.echo(_("The database is up to date (revision %(revision)s).", revision=after))
    else:
        click.echo(_("The database was migrated from %(before)s to %(after)s.",
                     before=before or _("an empty database"), after=after))


def _courses_root(directory: str | None) -> Path:
    if directory:
        return Path(directory)
    configured = current_app.config.get("LMS_COURSES_DIR")
    return Path(configured) if configured else resource_dir("courses")


@lms_cli.command("load-courses", help=N_("Validate course folders and load them (all or nothing per course)."))
@click.argument("directory", required=False, type=click.Path(exists=True, file_okay=False))
@click.option("--dry-run", is_flag=True,
              help=N_("Say per course what loading would replace; write nothing."))
@with_appcontext
def load_courses_command(directory: str | None, dry_run: bool) -> None:
    state = _state()
    root = _courses_root(directory)
    folders = find_course_folders(root)
    if not folders:
        click.echo(_("No course folders (with course.yml) were found in %(folder)s.",
                     folder=str(root)), err=True)
        sys.exit(1)
    failed = 0
    messages: list[tuple[str, bool]] = []  # (line, whether it is a problem: to stderr)
    db = state.session()
    with click.progressbar(folders, label=_("Loading courses"), file=sys.stderr,
                           item_show_func=lambda f: f.name if f else "") as bar:
        for folder in bar:
            try:
                course_file = read_course(folder, state.question_types,
                                          current_app.config["LMS_DEFAULT_PASS_MARK"])
                result = course_files.load_course_file(db, course_file, dry_run=dry_run)
            except CourseInvalid as error:
                failed += 1
                messages.extend((str(problem), True) for problem in error.problems)
                messages.append((_("%(folder)s: not loaded", folder=folder.name), True))
                continue
            messages.extend((line, ".yml:" in line or ".md:" in line)  # warnings: stderr
                            for line in report_lines(result))
    if dry_run:
        messages.append((dry_run_done(), False))
    for message, problem in messages:
        click.echo(message, err=problem)
    if failed:
        sys.exit(1)


@lms_cli.command("courses", help=N_("List courses with their modules and question counts."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@with_appcontext
def courses_command(as_json: bool) -> None:
    courses = catalog.describe_courses(_state().session())
    if as_json:
        click.echo(json.dumps(courses, ensure_ascii=False, indent=2))
        return
    if not courses:
        click.echo(_("No courses are loaded. Run `flask lms load-courses`."))
    for course in courses:
        click.echo(_("%(slug)s  %(title)s  (%(count)s modules)", slug=course["slug"],
                     title=course["title"], count=len(course["modules"])))
        for module in course["modules"]:
            click.echo(_("  - %(slug)s  %(title)s  %(minutes)s min, %(count)s questions",
                         slug=module["slug"], title=module["title"],
                         minutes=module["minutes"], count=module["questions"]))


@lms_cli.command("create-user", help=N_("Create a user, creating missing org units on the path."))
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), default="trainee",
              show_default=True)
@click.option("--unit", "unit_path", help=N_('Org unit path, e.g. "党委/第一党总支/第一党支部".'))
@click.option("--name", "display_name", required=True, help=N_("Display name, e.g. 张三."))
@click.option("--password-stdin", is_flag=True, help=N_("Read the password from standard input."))
@click.option("--duty", default="member", show_default=True,
              help=N_("Which yearly 学时 target applies: 党员/支部书记/领导干部 or "
                   "member/secretary/cadre."))
@click.option("--email", help=N_("E-mail address (optional), e.g. zhangsan@example.com."))
@with_appcontext
def create_user_command(username: str, role: str, unit_path: str | None, display_name: str,
                        password_stdin: bool, duty: str, email: str | None) -> None:
    chosen = parse_duty(duty)
    if chosen is None:
        raise click.BadParameter(_("write 党员, 支部书记 or 领导干部 (or member, secretary, "
                                   "cadre)"), param_hint="--duty")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        generated = False
    else:
        password = accounts.generate_password()
        generated = True
    db = _state().session()
    try:
        user = accounts.create_user(db, username=username, display_name=display_name,
                                    role=role, password=password, unit_path=unit_path,
                                    duty=chosen, email=email)
    except InvalidInput as error:
        raise click.UsageError(refusal_text(error)) from None
    click.echo(_("Created the account %(username)s (%(name)s, role %(role)s).",
                 username=user.username, name=user.display_name, role=user.role.value))
    if generated:
        click.echo(_("Password (shown only this once): %(password)s", password=password))


@lms_cli.command("create-demo-accounts",
                 help=N_("Create an admin, a trainer (author of every loaded course) and two "
                      "trainees in two branches."))
@with_appcontext
def create_demo_accounts_command() -> None:
    created = demo.create_demo_accounts(_state().session())
    if not created:
        click.echo(_("The demo accounts exist already; their passwords were shown when they "
                     "were created. Use `flask lms create-user` for more accounts."))
        return
    click.echo(_("Demo accounts (passwords are shown only this once):"))
    for person, password in created:
        click.echo(f"  {Role(person.role).value:8} {person.username:10} {password}   "
                   f"{person.display_name} · {person.unit_path}")


lms_cli.add_command(events_cli)
lms_cli.add_command(import_questions_command)
lms_cli.add_command(export_questions_command)
lms_cli.add_command(grant_command)
lms_cli.add_command(revoke_command)
lms_cli.add_command(grants_command)
lms_cli.add_command(plugins_command)
lms_cli.add_command(set_password_command)
lms_cli.add_command(demo_data_command)
lms_cli.add_command(stats_cli)
lms_cli.add_command(hours_cli)
lms_cli.add_command(open_cycles_command)
lms_cli.add_command(certificates_cli)
lms_cli.add_command(send_reminders_command)
lms_cli.add_command(imports_cli)
lms_cli.add_command(export_course_command)
lms_cli.add_command(import_course_command)
lms_cli.add_command(import_article_command)
