"""Thin views changing a draft through forms: settings, add, move and remove chapters.

Each names the course.yml revision its page showed; a change someone made meanwhile comes
back as a 409 page saying so, with what was typed still in the form.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, url_for
from flask_babel import gettext as _

from lms.auth.session import current_learner, current_scope, login_required
from lms.author import bp
from lms.author.draft_forms import (
    AddModuleForm,
    MoveModuleForm,
    RemoveModuleForm,
    RequiredForm,
    SettingsForm,
)
from lms.author.draft_wording import refusal_text
from lms.author.drafts import render_draft
from lms.services import authoring, draft_outline, drafts


def _db():
    return current_app.extensions["lms"].session()


def _course(slug: str):
    return authoring.get_authored_course(_db(), current_scope(), slug)


def _revision(form) -> int:
    value = form.revision.data or ""
    return int(value) if value.isdigit() else -1


def _back(slug: str, anchor: str = ""):
    return redirect(url_for("lms.author.draft", slug=slug) + anchor, 303)


def _conflict():
    flash(_("Someone else changed this course's settings or chapters meanwhile. The page "
            "now shows their version; make your change again."), "error")


@bp.route("/courses/<slug>/draft/settings", methods=["POST"])
@login_required
def save_settings(slug: str):
    course = _course(slug)
    form = SettingsForm()
    if form.validate_on_submit():
        try:
            draft_outline.save_settings(
                _db(), current_learner(), course, _revision(form), title=form.title.data,
                description=form.description.data or "", audience=form.audience.data or "",
                pass_mark=form.pass_mark.data)
        except drafts.DraftConflict:
            _conflict()
            return render_draft(course, 409, settings_form=form)
        except drafts.DraftRefused as refused:
            form.title.errors.append(refusal_text(refused))
        else:
            flash(_("Settings saved in the draft."))
            return _back(slug)
    return render_draft(course, 400, settings_form=form)


@bp.route("/courses/<slug>/draft/modules", methods=["POST"])
@login_required
def add_module(slug: str):
    course = _course(slug)
    form = AddModuleForm()
    if form.validate_on_submit():
        try:
            name = draft_outline.add_module(_db(), current_learner(), course, _revision(form),
                                            form.title.data)
        except drafts.DraftConflict:
            _conflict()
            return render_draft(course, 409, add_form=form)
        except drafts.DraftRefused as refused:
            form.title.errors.append(refusal_text(refused))
        else:
            flash(_("Chapter added. Write its text now."))
            return redirect(url_for("lms.author.edit_file", slug=slug, name=name), 303)
    return render_draft(course, 400, add_form=form)


def _chapter_change(slug: str, change, done: str | None = None):
    """Apply one change to the chapter list; a conflict or a refusal is said, never raised."""
    try:
        change()
    except drafts.DraftConflict:
        _conflict()
    except drafts.DraftRefused as refused:
        flash(refusal_text(refused), "error")
    else:
        if done:
            flash(done)
    return _back(slug, "#chapters")


@bp.route("/courses/<slug>/draft/modules/<name>/move", methods=["POST"])
@login_required
def move_module(slug: str, name: str):
    course = _course(slug)
    form = MoveModuleForm()
    if not (form.validate_on_submit() and form.step.data in ("up", "down")):
        return _back(slug, "#chapters")
    return _chapter_change(slug, lambda: draft_outline.move_module(
        _db(), current_learner(), course, _revision(form), name,
        -1 if form.step.data == "up" else 1))


@bp.route("/courses/<slug>/draft/modules/<name>/remove", methods=["POST"])
@login_required
def remove_module(slug: str, name: str):
    course = _course(slug)
    form = RemoveModuleForm()
    if not form.validate_on_submit():
        flash(_("Tick the box to confirm."), "error")
        return _back(slug, "#chapters")
    return _chapter_change(
        slug, lambda: draft_outline.remove_module(_db(), current_learner(), course,
                                                  _revision(form), name),
        _("Chapter removed from the draft. Published versions and trainees' records keep it."))


@bp.route("/courses/<slug>/draft/modules/<name>/required", methods=["POST"])
@login_required
def set_module_required(slug: str, name: str):
    """Required chapters count towards completing the course; optional ones do not."""
    course = _course(slug)
    form = RequiredForm()
    if not (form.validate_on_submit() and form.required.data in ("0", "1")):
        return _back(slug, "#chapters")
    return _chapter_change(slug, lambda: draft_outline.set_required(
        _db(), current_learner(), course, name, _revision(form), form.required.data == "1"))
