"""Thin views: a course (or its draft) downloaded as a zip, and a zip imported as a draft.

An import never publishes: it creates a new course's draft, or replaces the draft of a
course the trainer authors, so the loader's problems show on the draft page as for any
other edit. A draft holding unpublished work is replaced only after a preview listing the
files replaced, added and removed, confirmed once with a ticked box.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import BooleanField, HiddenField
from wtforms.validators import DataRequired, Length, Optional

from lms.auth.session import current_learner, current_require, current_scope, login_required
from lms.author import bp
from lms.author.draft_wording import refusal_text
from lms.author.views import _download
from lms.author.zip_wording import (
    not_author_text,
    wrong_course_text,
    zip_refusal_text,
)
from lms.content.course_writer import CourseWriteError
from lms.content.course_zip import LIMITS, MB, CourseZipError
from lms.services import authoring, draft_zip, drafts
from lms.services.course_files import export_course_zip
from lms.services.import_batches import BatchRefused
from lms.services.permissions import Action

#: Room for the multipart envelope and the CSRF field around a zip of the largest size.
MULTIPART_SLACK = 64 * 1024
ZIP_TYPE = "application/zip"


class CourseZipForm(FlaskForm):
    file = FileField(_l("Course zip"), validators=[FileRequired(_l("Choose a file to upload."))])
    #: Set when importing from a course's own page: the zip must be for that course.
    course = HiddenField(validators=[Optional(), Length(max=100)])


class ConfirmZipForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Length(max=100)])
    confirm_replace = BooleanField(_l("Yes, replace the draft with the files of the zip"),
                                   validators=[DataRequired(_l("Tick the box to confirm."))])


def _state():
    return current_app.extensions["lms"]


def _course(slug: str):
    return authoring.get_authored_course(_state().session(), current_scope(), slug)


def _page(form: CourseZipForm, status: int = 200, **context):
    return render_template("lms/author/zip_import.html", form=form,
                           zip_mb=LIMITS.zip_bytes // MB, **context), status


@bp.route("/courses/<slug>/export.zip")
@login_required
def export_zip(slug: str):
    """The published version's files; a course never published is its draft."""
    course = _course(slug)
    db = _state().session()
    try:
        if course.version_id is None:
            name, data = draft_zip.draft_export(db, course)
        else:
            name, data = export_course_zip(db, course, _state().question_types)
    except CourseWriteError:
        flash(_("This course cannot be written out as files yet: a question of it has no "
                "file form."), "error")
        return redirect(url_for("lms.author.index"), 303)
    return _download(data, name, ZIP_TYPE)


@bp.route("/courses/<slug>/draft/export.zip")
@login_required
def export_draft_zip(slug: str):
    name, data = draft_zip.draft_export(_state().session(), _course(slug))
    return _download(data, name, ZIP_TYPE)


def _too_large():
    form = CourseZipForm(formdata=None)
    form.file.errors = [zip_refusal_text(CourseZipError("too_large", "too large"))]
    return _page(form, 413)


@bp.route("/courses/import-zip", methods=["GET", "POST"])
@login_required
def import_zip():
    current_require(Action.CREATE_COURSE)
    limit = LIMITS.zip_bytes + MULTIPART_SLACK
    if request.method == "POST" and (request.content_length or 0) > limit:
        return _too_large()  # refused before the body is read
    configured = request.max_content_length  # the host's limit, if any, still holds
    request.max_content_length = min(limit, configured) if configured else limit
    try:
        form = CourseZipForm()
        valid = form.validate_on_submit()
    except RequestEntityTooLarge:
        return _too_large()
    if request.method == "GET":
        form.course.data = request.args.get("course", "")[:100]
    if not valid:
        if request.method == "GET":
            return _page(form)
        expired = _("The form expired. Please submit it again.") \
            if form.errors.get("csrf_token") else None
        return _page(form, 400, refusal=expired)
    state, status = _state(), 400
    try:
        files = draft_zip.zip_files(form.file.data.stream.read(LIMITS.zip_bytes + 1))
        plan = draft_zip.plan_import(state.session(), current_scope(), state.question_types,
                                     files, form.course.data or None)
    except CourseZipError as error:
        form.file.errors.append(zip_refusal_text(error))
        status = 413 if error.code == "too_large" else 400
    except draft_zip.WrongCourse as error:
        form.file.errors.append(wrong_course_text(error))
    except draft_zip.NotYourCourse as error:
        form.file.errors.append(not_author_text(error))
        status = 403
    except drafts.DraftRefused as refused:
        form.file.errors.append(refusal_text(refused))
    else:
        return _imported(form, plan)
    return _page(form, status)


def _imported(form: CourseZipForm, plan: draft_zip.ZipPlan):
    db = _state().session()
    if plan.needs_confirm:
        token = draft_zip.stage(db, current_learner(), plan)
        return _page(form, plan=plan, confirm_form=ConfirmZipForm(formdata=None, token=token))
    if not plan.changes_anything:
        flash(_("The draft already holds exactly these files: nothing changed."))
        return redirect(url_for("lms.author.draft", slug=plan.slug), 303)
    course = draft_zip.import_files(db, current_learner(), plan)
    if plan.course is None:
        flash(_("Imported as a new draft course. Trainees see it once you publish it."))
    else:
        flash(_("The draft now holds the files of the zip. Trainees see them once you "
                "publish the draft."))
    return redirect(url_for("lms.author.draft", slug=course.slug), 303)


@bp.route("/courses/<slug>/import-zip/confirm", methods=["POST"])
@login_required
def confirm_zip_import(slug: str):
    course = _course(slug)
    form = ConfirmZipForm()
    db = _state().session()
    upload = CourseZipForm(formdata=None, data={"course": slug})
    if not form.validate_on_submit():
        plan = draft_zip.staged(db, current_learner(), course, form.token.data or "")
        if plan is None:
            return _page(upload, 400, refusal=_("This preview is no longer valid: upload "
                                                "the zip again."))
        return _page(upload, 400, plan=plan, confirm_form=form)
    try:
        draft_zip.confirm(db, current_learner(), course, form.token.data)
    except BatchRefused as refused:
        if refused.reason == "already_imported":  # a replay or a double click: a clear 409
            return _page(upload, 409, refusal=_("These files were imported already: nothing "
                                                "was imported again."))
        return _page(upload, 409, refusal=_("This preview has expired or was used already: "
                                            "upload the zip again."))
    except draft_zip.DraftZipStale:
        return _page(upload, 409, refusal=_(
            "The draft was changed since the preview (in another tab, or by a co-author), "
            "so nothing was replaced. Upload the zip again to see what it would replace now."))
    except drafts.DraftRefused as refused:
        return _page(upload, 400, refusal=refusal_text(refused))
    flash(_("The draft now holds the files of the zip. Trainees see them once you publish "
            "the draft."))
    return redirect(url_for("lms.author.draft", slug=slug), 303)
