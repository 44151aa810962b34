"""Thin views of a course's history and status: its versions and module revisions, readable
differences between them, roll back, and unpublish / archive / delete. Every route is for
the course's authors (``get_authored_course``: 404 before 403 for unpublished courses)."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from lms.auth.session import current_learner, current_scope, login_required
from lms.author import bp
from lms.author.history_forms import (
    ArchiveForm,
    DeleteForm,
    RepublishForm,
    RollBackForm,
    UnarchiveForm,
    UnpublishForm,
)
from lms.request_args import int_arg
from lms.services import authoring, course_diff, course_history, course_lifecycle, drafts

REFUSALS = {
    "draft_open": _l("A draft of this course is open. Publish or discard the draft first, "
                     "then roll back."),
    "current": _l("Trainees see this content already: nothing to roll back."),
    "not_published": _l("The course is not published."),
    "not_unpublished": _l("The course is not unpublished."),
    "never_published": _l("The course was never published: publish its draft instead."),
    "archived": _l("The course is archived already."),
    "not_archived": _l("The course is not archived."),
}
#: The lifecycle forms of the page, by the keyword ``render_history`` takes them under.
FORMS = {"unpublish_form": UnpublishForm, "republish_form": RepublishForm,
         "archive_form": ArchiveForm, "unarchive_form": UnarchiveForm,
         "delete_form": DeleteForm}


def _db():
    return current_app.extensions["lms"].session()


def _course(slug: str):
    return authoring.get_authored_course(_db(), current_scope(), slug)


def render_history(course, status: int = 200, **forms):
    """The history page; a refused form comes back through ``forms`` with its message."""
    db = _db()
    record = course_history.history(db, course)
    roll_back_forms = forms.pop("roll_back_forms", {})
    for line in record.versions:
        roll_back_forms.setdefault(line.number, RollBackForm(formdata=None))
    for name, form_class in FORMS.items():
        forms.setdefault(name, form_class(formdata=None))
    return render_template(
        "lms/author/history.html", course=course, record=record,
        status=authoring.status_of(course), state=course_lifecycle.status_name(course),
        records=course_lifecycle.trainee_records(db, course),
        has_draft=bool(drafts.courses_with_drafts(db, [course.id])),
        roll_back_forms=roll_back_forms, **forms), status


def _refused(form: FlaskForm) -> None:
    """An expired form says so (its box may well be ticked)."""
    if "csrf_token" in form.errors:
        flash(_("The form expired. Please submit it again."), "error")


@bp.route("/courses/<slug>/history")
@login_required
def history(slug: str):
    return render_history(_course(slug))


def _int_arg(name: str) -> int | None:
    return int_arg(name, low=0)


@bp.route("/courses/<slug>/history/compare")
@login_required
def compare_versions(slug: str):
    """Two versions module by module; by default the current one and the one before."""
    course = _course(slug)
    db = _db()
    numbers, current = course_history.version_numbers(db, course)
    new = _int_arg("to") or current
    old = _int_arg("from")
    if new is None:
        return render_template("lms/author/compare.html", course=course, diff=None,
                               numbers=numbers)
    if old is None:
        old = max((n for n in numbers if n < new), default=0)
    versions = course_history.load_versions(db, course, [n for n in (old, new) if n])
    diff = course_diff.course_diff(versions.get(old), versions[new])
    return render_template("lms/author/compare.html", course=course, diff=diff,
                           numbers=numbers)


@bp.route("/courses/<slug>/history/modules/<module_slug>")
@login_required
def module_history(slug: str, module_slug: str):
    """A module's revisions, and two of them compared (the latest and the one before)."""
    course = _course(slug)
    db = _db()
    module, revisions = course_diff.module_revisions(db, course, module_slug)
    numbers = [row.number for row in revisions]
    new = _int_arg("to") or (numbers[0] if numbers else None)
    old = _int_arg("from")
    diff = None
    if new is not None:
        if old is None:
            old = max((n for n in numbers if n < new), default=0)
        found = course_diff.load_revisions(db, module, [n for n in (old, new) if n])
        diff = course_diff.module_diff(found.get(old), found[new])
    return render_template("lms/author/module_history.html", course=course, module=module,
                           revisions=revisions, diff=diff, old=old, new=new)


@bp.route("/courses/<slug>/history/versions/<lms_id:number>/roll-back", methods=["POST"])
@login_required
def roll_back(slug: str, number: int):
    course = _course(slug)
    form = RollBackForm()
    if not form.validate_on_submit():
        _refused(form)
        return render_history(course, 400, roll_back_forms={number: form})
    try:
        done = course_history.roll_back(_db(), current_learner(), course, number)
    except course_history.RollBackRefused as refused:
        form.refusal = REFUSALS[refused.code]
        return render_history(course, 409, roll_back_forms={number: form})
    flash(_("Version %(old)s was published again as version %(new)s. Trainees see it now; "
            "earlier attempts and grades are unchanged.", old=number, new=done.number))
    return redirect(url_for("lms.author.history", slug=slug), 303)


def _change(slug: str, name: str, change: Callable, done: str):
    """Confirm, make one lifecycle change, say so; a refusal comes back beside its form."""
    course = _course(slug)
    form = FORMS[name]()
    if not form.validate_on_submit():
        _refused(form)
        return render_history(course, 400, **{name: form})
    try:
        change(_db(), current_learner(), course, form)
    except course_lifecycle.LifecycleRefused as refused:
        if refused.records is not None:
            return render_template("lms/author/delete_refused.html", course=course,
                                   records=refused.records,
                                   archive_form=ArchiveForm(formdata=None)), 409
        form.refusal = REFUSALS[refused.code]
        return render_history(course, 409, **{name: form})
    flash(done)
    if name == "delete_form":
        return redirect(url_for("lms.author.index"), 303)
    return redirect(url_for("lms.author.history", slug=slug), 303)


@bp.route("/courses/<slug>/unpublish", methods=["POST"])
@login_required
def unpublish_course(slug: str):
    return _change(slug, "unpublish_form",
                   lambda db, actor, course, form: course_lifecycle.unpublish(db, actor, course),
                   _("Unpublished: trainees no longer see the course. Their records are kept."))


@bp.route("/courses/<slug>/republish", methods=["POST"])
@login_required
def republish_course(slug: str):
    return _change(slug, "republish_form",
                   lambda db, actor, course, form: course_lifecycle.republish(db, actor, course),
                   _("Published again: trainees see the course."))


@bp.route("/courses/<slug>/archive", methods=["POST"])
@login_required
def archive_course(slug: str):
    return _change(slug, "archive_form",
                   lambda db, actor, course, form: course_lifecycle.archive(db, actor, course),
                   _("Archived: the course is off the catalogue and the assignment lists. "
                     "Every record is kept."))


@bp.route("/courses/<slug>/unarchive", methods=["POST"])
@login_required
def unarchive_course(slug: str):
    return _change(slug, "unarchive_form",
                   lambda db, actor, course, form: course_lifecycle.unarchive(
                       db, actor, course, publish=bool(form.publish_again.data)),
                   _("The course is out of the archive."))


@bp.route("/courses/<slug>/delete", methods=["POST"])
@login_required
def delete_course(slug: str):
    return _change(slug, "delete_form",
                   lambda db, actor, course, form: course_lifecycle.delete_course(
                       db, actor, course),
                   _("The course was deleted."))

