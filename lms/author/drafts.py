"""Thin views of the course editor: create a course, edit its draft files with a live
preview, publish or discard the draft. Every route checks authorship of its course."""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from lms.auth.forms import PostForm
from lms.auth.session import current_learner, current_require, current_scope, login_required
from lms.author import bp
from lms.author.draft_forms import (
    AddCoauthorForm,
    AddModuleForm,
    DiscardForm,
    EditFileForm,
    NewCourseForm,
    PreviewForm,
    PublishForm,
    SettingsForm,
)
from lms.author.draft_wording import refusal_text
from lms.content.loader import CourseInvalid
from lms.services import authoring, coauthors, draft_outline, drafts
from lms.services.course_files import course_files
from lms.services.errors import NotFound
from lms.services.permissions import Action


def _state():
    return current_app.extensions["lms"]


def _course(slug: str):
    return authoring.get_authored_course(_state().session(), current_scope(), slug)


def _check(files: dict[str, str]) -> tuple[list[str], list[str]]:
    """The draft's problems (publishing is refused) and warnings (questions whose cite is
    not in their chapter's text: publishable, then listed as needing review)."""
    state = _state()
    try:
        course_file = drafts.read_draft(files, state.question_types,
                                        current_app.config["LMS_DEFAULT_PASS_MARK"])
    except CourseInvalid as invalid:
        return [f"{problem.path.name}:{problem.line}: {problem.message}"
                for problem in invalid.problems], []
    return [], [f"{warning.path.name}:{warning.line}: {warning.message}"
                for warning in course_file.warnings]


@bp.route("/courses/new", methods=["GET", "POST"])
@login_required
def new_course():
    current_require(Action.CREATE_COURSE)
    form = NewCourseForm()
    if form.validate_on_submit():
        try:
            course = drafts.create_course(_state().session(), current_learner(),
                                          drafts.blank_course(form.slug.data, form.title.data))
        except drafts.DraftRefused as refused:
            form.slug.errors.append(refusal_text(refused))
        else:
            flash(_("Course created as a draft. Trainees see it once you publish it."))
            return redirect(url_for("lms.author.draft", slug=course.slug), 303)
    status = 400 if form.errors else 200
    return render_template("lms/author/course_new.html", form=form), status


def render_draft(course, status: int = 200, **forms):
    """The draft page; a refused form comes back through ``forms`` with what was typed."""
    rows = drafts.files_of(_state().session(), course)
    problems, warnings = _check({row.name: row.text for row in rows}) if rows else ([], [])
    plan = draft_outline.outline(rows) if rows else None
    settings = forms.pop("settings_form", None) or SettingsForm(
        formdata=None, data={**(plan.settings if plan else {}),
                             "revision": str(plan.revision) if plan else ""})
    coauthor_form = forms.pop("coauthor_form", None) or AddCoauthorForm(formdata=None)
    add_form = forms.pop("add_form", None) or AddModuleForm(
        formdata=None, data={"revision": str(plan.revision) if plan else ""})
    return render_template(
        "lms/author/draft.html", course=course, rows=rows, plan=plan,
        chapters=draft_outline.chapters(rows), status=authoring.status_of(course), problems=problems,
        warnings=warnings,
        settings_form=settings, add_form=add_form, start_form=PostForm(),
        authors=coauthors.authors_of(_state().session(), course), coauthor_form=coauthor_form,
        current_user_id=current_learner().id, publish_form=PublishForm(),
        discard_form=DiscardForm(), **forms), status


@bp.route("/courses/<slug>/draft")
@login_required
def draft(slug: str):
    return render_draft(_course(slug))


@bp.route("/courses/<slug>/draft/start", methods=["POST"])
@login_required
def start_draft(slug: str):
    course = _course(slug)
    if PostForm().validate_on_submit():
        state = _state()
        db = state.session()
        drafts.start_draft(db, current_learner(), course,
                           course_files(db, course, state.question_types))
    return redirect(url_for("lms.author.draft", slug=slug), 303)


def _file(course, name: str):
    row = next((r for r in drafts.files_of(_state().session(), course) if r.name == name), None)
    if row is None:
        raise NotFound(f"no draft file {name!r}")
    return row


@bp.route("/courses/<slug>/draft/files/<name>", methods=["GET", "POST"])
@login_required
def edit_file(slug: str, name: str):
    course = _course(slug)
    row = _file(course, name)
    form = EditFileForm()
    conflict = None
    if request.method == "GET":
        form.text.data, form.revision.data = row.text, str(row.revision)
    elif form.validate_on_submit():
        revision = int(form.revision.data) if (form.revision.data or "").isdigit() else -1
        try:
            saved = drafts.save_file(_state().session(), current_learner(), course, name,
                                     form.text.data or "", revision)
        except drafts.DraftConflict as clash:
            conflict = clash.current  # what is saved now, shown beside what was typed
            form.revision.data = str(conflict.revision)
        except drafts.DraftRefused as refused:
            form.text.errors.append(refusal_text(refused))
        else:
            flash(_("Saved. Publish the draft when it is ready."))
            return redirect(url_for("lms.author.edit_file", slug=slug, name=saved.name), 303)
    status = 409 if conflict is not None else 400 if form.errors else 200
    # A rejected or expired form comes back with what was typed (form.text keeps it).
    return render_template("lms/author/draft_file.html", course=course, row=row, form=form,
                           conflict=conflict, preview=drafts.preview(form.text.data or ""),
                           preview_form=PreviewForm()), status


@bp.route("/courses/<slug>/draft/files/<name>/autosave", methods=["POST"])
@login_required
def autosave_file(slug: str, name: str):
    """The editor's periodic save: the same conflict-checked save as the Save button,
    answered in JSON so the page carries on with the new revision."""
    course = _course(slug)
    _file(course, name)
    form = EditFileForm()
    if not form.validate_on_submit():
        return jsonify(error=_("Not saved automatically: the form expired. Press Save.")), 400
    revision = int(form.revision.data) if (form.revision.data or "").isdigit() else -1
    try:
        saved = drafts.save_file(_state().session(), current_learner(), course, name,
                                 form.text.data or "", revision)
    except drafts.DraftConflict as clash:
        return jsonify(error=_("Someone else saved this file meanwhile: press Save to see "
                               "both texts."), revision=clash.current.revision), 409
    except drafts.DraftRefused as refused:
        return jsonify(error=refusal_text(refused)), 400
    return jsonify(revision=saved.revision)


@bp.route("/courses/<slug>/draft/preview", methods=["POST"])
@login_required
def preview(slug: str):
    """The module text as trainees will see it, from the same renderer and sanitizer."""
    _course(slug)
    form = PreviewForm()
    if not form.validate_on_submit():
        return jsonify(error=_("The preview could not be made: reload the page.")), 400
    return jsonify(html=str(drafts.preview(form.text.data or "")))


@bp.route("/courses/<slug>/draft/publish", methods=["POST"])
@login_required
def publish(slug: str):
    course = _course(slug)
    form = PublishForm()
    if not form.validate_on_submit():
        flash(_("Tick the box to confirm publishing."), "error")
        return redirect(url_for("lms.author.draft", slug=slug), 303)
    state = _state()
    try:
        result = drafts.publish(state.session(), current_learner(), course, state.question_types,
                                current_app.config["LMS_DEFAULT_PASS_MARK"])
    except CourseInvalid:
        flash(_("The draft has problems: fix the ones listed, then publish."), "error")
        return redirect(url_for("lms.author.draft", slug=slug), 303)
    except drafts.DraftRefused as refused:
        flash(refusal_text(refused), "error")
        return redirect(url_for("lms.author.draft", slug=slug), 303)
    if result.changed:
        flash(_("Published as version %(number)s.", number=result.version))
    else:
        flash(_("Nothing changed since the last version: no new version was made."))
    if result.warnings:
        flash(_("%(count)s questions cite a passage that is not in their chapter’s text: they "
                "are listed under “Needs review”.", count=len(result.warnings)), "warning")
    return redirect(url_for("lms.author.index"), 303)


@bp.route("/courses/<slug>/draft/discard", methods=["POST"])
@login_required
def discard(slug: str):
    course = _course(slug)
    if not DiscardForm().validate_on_submit():
        flash(_("Tick the box to confirm."), "error")
        return redirect(url_for("lms.author.draft", slug=slug), 303)
    drafts.discard(_state().session(), course)
    flash(_("The draft was discarded; the published course is unchanged."))
    return redirect(url_for("lms.author.index"), 303)
