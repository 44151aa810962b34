"""Thin views editing a chapter's questions through forms built from each type's fields.

Every question type registered with the app, plugins included, is offered and edited the
same way. A refused value comes back next to its field with everything typed kept; a save
over someone else's newer save of the chapter is a 409 saying so, never a silent overwrite.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.auth.session import current_learner, current_scope, login_required
from lms.author import bp
from lms.author.draft_forms import MoveModuleForm
from lms.author.draft_wording import refusal_text
from lms.author.question_forms import (
    RemoveQuestionForm,
    attribute,
    build_form,
    initial_data,
    typed_values,
)
from lms.questions.base import SpecError
from lms.services import authoring, draft_questions, drafts
from lms.services.draft_outline import chapters as chapter_facts
from lms.services.errors import NotFound

REFUSALS = {
    "unreadable_quiz": _l("The questions of this chapter cannot be read as forms: fix the "
                          "quiz block in the chapter's text first."),
    "question_gone": _l("This question is no longer in the chapter: someone removed it."),
    "cannot_write": _l("This question cannot be written back to the chapter file."),
    "unknown_type": _l("This question type is not installed."),
}
PATH = "/courses/<slug>/draft/files/<name>/questions"


def _state():
    return current_app.extensions["lms"]


def _course(slug: str):
    return authoring.get_authored_course(_state().session(), current_scope(), slug)


def _refusal(refused: drafts.DraftRefused) -> str:
    return str(REFUSALS[refused.code]) if refused.code in REFUSALS else refusal_text(refused)


def _chapter(course, name: str):
    try:
        return draft_questions.read_chapter(_state().session(), course, name,
                                            _state().question_types)
    except drafts.DraftRefused:
        raise NotFound(f"no chapter {name!r} in the draft") from None


def _revision(form) -> int:
    value = form.revision.data or ""
    return int(value) if value.isdigit() else -1


def _back(slug: str, name: str):
    return redirect(url_for("lms.author.edit_file", slug=slug, name=name) + "#questions", 303)


@dataclass(frozen=True)
class ChapterQuestions:
    """What the chapter editor page lists: the questions and every type to add."""

    chapter: draft_questions.Chapter
    labels: dict[str, str]
    types: list[tuple[str, str]]


@bp.app_template_global("lms_chapter_questions")
def chapter_questions(row) -> ChapterQuestions:
    registry = _state().question_types
    types = [(t.name, str(t.label)) for t in registry.types()]
    return ChapterQuestions(draft_questions.parse_chapter(row, registry), dict(types), types)


def _save(course, name: str, form, fields, question_type, change) -> tuple[int | None, str]:
    """Run ``change(raw, cite)``; returns (error status or None, page-level message)."""
    try:
        change(question_type.form_raw(typed_values(form, fields)), form.cite.data or "")
    except SpecError as error:
        target = "cite" if error.field == "cite" else attribute(error.field)
        known = {attribute(field.name) for field in fields} | {"cite"}
        if target in known:
            form[target].errors = [*form[target].errors, error.translated()]
            return 400, ""
        return 400, f"{error.field}: {error.translated()}"
    except drafts.DraftConflict as clash:
        form.revision.data = str(clash.current.revision)  # saving again applies to theirs
        return 409, _("Someone else changed this chapter meanwhile. Your question is still in "
                      "the form: check the chapter, then save again.")
    except drafts.DraftRefused as refused:
        return 400, _refusal(refused)
    return None, ""


def _invalid(form) -> tuple[int, str]:
    """A form refused before the type saw it: an expired page (CSRF) or a too-long cite."""
    expired = "csrf_token" in form.errors
    return 400, _("The form expired. Please submit it again.") if expired else ""


def _page(course, name, form, fields, question_type, status, message, key=None):
    facts = chapter_facts([_chapter_row(course, name)])
    return render_template(
        "lms/author/question_form.html", course=course, name=name, chapter=facts[name].title,
        form=form, fields=fields, attribute=attribute, question_type=question_type,
        key=key, message=message), status


def _chapter_row(course, name: str):
    return next(r for r in drafts.files_of(_state().session(), course) if r.name == name)


@bp.route(f"{PATH}/new", methods=["GET", "POST"])
@login_required
def new_question(slug: str, name: str):
    course = _course(slug)
    chapter = _chapter(course, name)
    question_type = _state().question_types.get(request.args.get("type", ""))
    if question_type is None:
        raise NotFound("no such question type")
    if chapter.problem:
        flash(str(REFUSALS["unreadable_quiz"]), "error")
        return _back(slug, name)
    form, fields = build_form(question_type)
    status, message = 200, ""
    if request.method == "GET":
        form.revision.data = str(chapter.revision)
    elif form.validate_on_submit():
        status, message = _save(course, name, form, fields, question_type, lambda raw, cite: (
            draft_questions.add_question(
                _state().session(), current_learner(), course, name, _revision(form),
                _state().question_types, question_type.name, raw, cite)))
        if status is None:
            flash(_("Question added to the draft."))
            return _back(slug, name)
    else:
        status, message = _invalid(form)
    return _page(course, name, form, fields, question_type, status, message)


@bp.route(f"{PATH}/edit/<path:key>", methods=["GET", "POST"])
@login_required
def edit_question(slug: str, name: str, key: str):
    course = _course(slug)
    chapter = _chapter(course, name)
    question = chapter.find(key)
    if question is None:
        raise NotFound(f"no question {key!r} in {name}")
    registry = _state().question_types
    question_type = registry[question.type]
    status, message = 200, ""
    if request.method == "GET":
        try:
            written = draft_questions.written(question, registry)
        except drafts.DraftRefused as refused:
            flash(_refusal(refused), "error")
            return _back(slug, name)
        form, fields = build_form(question_type, formdata=None, data={
            **initial_data(question_type.form_values(written), question_type.form_fields()),
            "cite": question.cite or "", "revision": str(chapter.revision)})
    else:
        form, fields = build_form(question_type)
        if form.validate_on_submit():
            status, message = _save(course, name, form, fields, question_type,
                                    lambda raw, cite: draft_questions.edit_question(
                                        _state().session(), current_learner(), course, name,
                                        _revision(form), registry, key, raw, cite))
            if status is None:
                flash(_("Question saved in the draft."))
                return _back(slug, name)
        else:
            status, message = _invalid(form)
    return _page(course, name, form, fields, question_type, status, message, key)


@bp.route(f"{PATH}/remove/<path:key>", methods=["POST"])
@login_required
def remove_question(slug: str, name: str, key: str):
    course = _course(slug)
    _chapter(course, name)
    form = RemoveQuestionForm()
    if not form.validate_on_submit():
        flash(_("Tick the box to confirm."), "error")
        return _back(slug, name)
    try:
        draft_questions.remove_question(_state().session(), current_learner(), course, name,
                                        _revision(form), _state().question_types, key)
    except drafts.DraftConflict:
        flash(_("Someone else changed this chapter meanwhile. The page now shows their "
                "version; remove the question again if it is still there."), "error")
    except drafts.DraftRefused as refused:
        flash(_refusal(refused), "error")
    else:
        flash(_("Question removed from the draft. Published versions and past answers keep "
                "it."))
    return _back(slug, name)


@bp.route(f"{PATH}/move/<path:key>", methods=["POST"])
@login_required
def move_question(slug: str, name: str, key: str):
    course = _course(slug)
    _chapter(course, name)
    form = MoveModuleForm()
    if form.validate_on_submit() and form.step.data in ("up", "down"):
        try:
            draft_questions.move_question(_state().session(), current_learner(), course, name,
                                          _revision(form), _state().question_types, key,
                                          -1 if form.step.data == "up" else 1)
        except drafts.DraftConflict:
            flash(_("Someone else changed this chapter meanwhile. The page now shows their "
                    "version; move the question again."), "error")
        except drafts.DraftRefused as refused:
            flash(_refusal(refused), "error")
    return _back(slug, name)
