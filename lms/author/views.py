"""Thin trainer views: permission check per resource, parse, one service call, render."""

from __future__ import annotations

from urllib.parse import quote

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from lms.auth.forms import PostForm
from lms.auth.session import (
    current_can,
    current_learner,
    current_require,
    current_scope,
    login_required,
)
from lms.author import bank_problems, bp
from lms.author.forms import ConfirmImportForm, UploadBankForm
from lms.content.xlsx_bank import template_workbook
from lms.request_args import page_arg
from lms.services import (
    attempt_review,
    authoring,
    bank_import,
    bank_reimport,
    catalog,
    grading,
    item_analysis,
    needs_review,
    question_bank,
    quiz_stats,
    quizzes,
)
from lms.services.course_views import module_of
from lms.services.errors import InvalidInput
from lms.services.import_batches import BatchRefused
from lms.services.item_analysis import analysis_csv
from lms.services.permissions import Action

PAGE_SIZE = 20


def _state():
    return current_app.extensions["lms"]


def _allow(action: Action, resource=None) -> None:
    """Go on only if the signed-in user may do ``action`` on ``resource`` (else 403)."""
    current_require(action, resource)


def _scope():
    """Which attempts the signed-in user's grants cover, for lists and statistics."""
    return current_scope()


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
        "X-Content-Type-Options": "nosniff",
    })


def _module(slug: str, module_slug: str):
    return catalog.get_course_and_module(_state().session(), slug, module_slug)


@bp.route("/")
@login_required
def index():
    _allow(Action.VIEW_GRADING_QUEUE)
    db = _state().session()
    scope = _scope()
    lines = authoring.course_lines(db, scope)
    return render_template(
        "lms/author/index.html", lines=lines,
        waiting=grading.waiting_count(db, scope=scope),
        question_counts=catalog.question_counts(db, [line.course.id for line in lines]),
        needs_review=needs_review.questions_needing_review(
            db, [line.course.id for line in lines if line.authored]))


def _combine() -> bool:
    """``?combine=1``: count answers to every revision of a question, not only the current."""
    return request.args.get("combine") == "1"


def _analysis(module):
    state = _state()
    return quiz_stats.module_analysis(state.session(), state.question_types, module,
                                      current_app.config["LMS_ITEM_ANALYSIS_MIN_RESPONSES"],
                                      scope=_scope(), combine=_combine())


@bp.route("/courses/<slug>/modules/<module_slug>/quiz")
@login_required
def quiz(slug: str, module_slug: str):
    course, module = _module(slug, module_slug)
    _allow(Action.VIEW_ITEM_ANALYSIS, course)
    state = _state()
    analysis = _analysis(module)
    rows = quiz_stats.questions_for_review(
        state.question_types, module, analysis,
        with_key=current_can(Action.AUTHOR_COURSE, course))
    return render_template("lms/author/quiz.html", course=course, module=module,
                           analysis=analysis, rows=rows, registry=state.question_types,
                           settings=quizzes.settings_of(module), combine=_combine(),
                           thresholds=item_analysis.THRESHOLDS)


@bp.route("/courses/<slug>/modules/<module_slug>/quiz/analysis.csv")
@login_required
def analysis_export(slug: str, module_slug: str):
    course, module = _module(slug, module_slug)
    _allow(Action.VIEW_ITEM_ANALYSIS, course)
    return _download(analysis_csv(_analysis(module)).encode("utf-8"),
                     f"{course.slug}-{module.slug}-item-analysis.csv", "text/csv")


@bp.route("/courses/<slug>/questions.<kind>")
@login_required
def export_questions(slug: str, kind: str):
    db = _state().session()
    course = catalog.get_course(db, slug)
    _allow(Action.AUTHOR_COURSE, course)
    module_slug = request.args.get("module")
    module = module_of(course, module_slug) if module_slug else None
    questions = question_bank.questions_for_export(db, course, module)
    try:
        data = question_bank.export_bank(questions, kind, _state().question_types)
    except InvalidInput as error:
        flash(_("The questions could not be exported: %(reason)s",
                reason=bank_problems.refusal(error)),
              "error")
        return redirect(url_for(".quiz", slug=course.slug, module_slug=module.slug)
                        if module else url_for(".index"))
    name = f"{course.slug}{'-' + module.slug if module else ''}.{kind}"
    mimetype = ("text/plain" if kind == "gift" else
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return _download(data, name, mimetype)


@bp.route("/question-bank-template.xlsx")
@login_required
def bank_template():
    _allow(Action.AUTHOR_COURSE)
    return _download(template_workbook(_state().question_types), "题库模板.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.route("/courses/<slug>/modules/<module_slug>/import", methods=["GET", "POST"])
@login_required
def import_questions(slug: str, module_slug: str):
    """Upload → preview of what will be imported → confirm; nothing is stored before confirm."""
    course, module = _module(slug, module_slug)
    _allow(Action.AUTHOR_COURSE, course)
    state = _state()
    upload = UploadBankForm()
    if request.method == "GET" or not upload.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("lms/author/import.html", course=course, module=module,
                               form=upload), status
    file = upload.file.data
    try:
        data = file.stream.read(question_bank.MAX_UPLOAD_BYTES + 1)  # one byte more: too large
        parsed = question_bank.parse_bank(file.filename or "", data, state.question_types)
    except question_bank.BankInvalid as error:
        return render_template("lms/author/import.html", course=course, module=module,
                               form=upload, problems=error.translated()), 400
    except InvalidInput as error:
        return render_template("lms/author/import.html", course=course, module=module,
                               form=upload, problems=[bank_problems.refusal(error)]), 400
    payload = bank_import.stage(state.session(), current_learner(), module, parsed)
    rows = bank_reimport.preview(state.session(), state.question_types, module,
                                 parsed.questions)
    skipped = [bank_problems.describe(skip, state.question_types) for skip in parsed.skipped]
    return render_template("lms/author/import.html", course=course, module=module,
                           form=upload, parsed=parsed, rows=rows, registry=state.question_types,
                           skipped=skipped, confirm=ConfirmImportForm(payload=payload))


@bp.route("/courses/<slug>/modules/<module_slug>/import/confirm", methods=["POST"])
@login_required
def confirm_import(slug: str, module_slug: str):
    course, module = _module(slug, module_slug)
    _allow(Action.AUTHOR_COURSE, course)
    state = _state()
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        flash(_("The import could not be confirmed. Please upload the file again."), "error")
        return redirect(url_for(".import_questions", slug=slug, module_slug=module_slug))
    try:
        counts = bank_import.confirm(state.session(), state.question_types, current_learner(),
                                     module, form.payload.data or "", form.existing.data)
    except BatchRefused as refused:
        if refused.reason == "already_imported":  # a replay or a double click: a clear 409
            flash(_("This file was imported already: nothing was imported again."), "error")
            return render_template("lms/author/import.html", course=course, module=module,
                                   form=UploadBankForm(formdata=None)), 409
        flash(_("The import could not be confirmed. Please upload the file again."), "error")
        return redirect(url_for(".import_questions", slug=slug, module_slug=module_slug))
    except InvalidInput as error:
        flash(bank_problems.refusal(error), "error")
        return redirect(url_for(".import_questions", slug=slug, module_slug=module_slug))
    if counts.updated or counts.skipped:
        flash(_("%(added)s questions were added, %(updated)s updated, %(skipped)s already there "
                "were skipped.", added=counts.added, updated=counts.updated,
                skipped=counts.skipped), "info")
    else:
        flash(_("%(count)s questions were imported.", count=counts.added), "info")
    return redirect(url_for(".quiz", slug=course.slug, module_slug=module.slug))


@bp.route("/grading")
@login_required
def grading_queue():
    _allow(Action.VIEW_GRADING_QUEUE)
    page = page_arg()
    db = _state().session()
    attempts, total = grading.grading_queue(db, page=page, per_page=PAGE_SIZE, scope=_scope())
    pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    return render_template("lms/author/grading.html", attempts=attempts, total=total,
                           page=page, pages=pages, units=grading.unit_paths(db, attempts))


def _read_grades(attempt, form) -> tuple[dict[int, grading.ManualGrade], dict[int, str],
                                         dict[int, tuple[str, str]]]:
    """Parse a score and comment per waiting question; errors name the question."""
    grades, errors, values = {}, {}, {}
    for number, result in enumerate(attempt.results or [], start=1):
        if not result.get("pending"):
            continue
        raw = form.get(f"score{number}", "").strip()
        comment = form.get(f"comment{number}", "")[:2000]
        values[number] = (raw, comment)
        try:
            earned = float(raw)
        except ValueError:
            earned = -1.0
        if not 0 <= earned <= result["possible"]:
            errors[number] = _("Enter a score between 0 and %(max)s.",
                               max=f"{result['possible']:g}")
            continue
        grades[number] = grading.ManualGrade(earned, comment)
    return grades, errors, values


@bp.route("/grading/<lms_id:attempt_id>", methods=["GET", "POST"])
@login_required
def grade(attempt_id: int):
    """Grade what waits in one attempt; "save and next" goes on to the next waiting one."""
    state = _state()
    db = state.session()
    attempt = grading.get_attempt_for_grading(db, attempt_id)
    _allow(Action.GRADE_ATTEMPT, attempt)
    errors: dict[int, str] = {}
    values: dict[int, tuple[str, str]] = {}
    if request.method == "POST":
        grades, errors, values = _read_grades(attempt, request.form)
        if not PostForm().validate():
            errors = {}  # what was typed stays in the form; nothing is judged or saved
            flash(_("The form expired. Please submit it again."), "error")
        elif not errors:
            try:
                grading.grade_manually(db, current_learner(), attempt_id, grades)
                flash(_("Grade saved."), "info")
            except quizzes.AttemptClosed:
                flash(_("This attempt was already graded."), "info")
            return _after_grading(attempt)
    review = attempt_review.review_attempt(state.question_types, attempt, show_answers=True)
    status = 400 if request.method == "POST" else 200
    return render_template("lms/author/grade.html", attempt=attempt, review=review,
                           errors=errors, values=values, form=PostForm(),
                           place=grading.queue_place(db, attempt, scope=_scope())), status


def _after_grading(attempt):
    """The next waiting attempt when the trainer chose "save and next", else the queue."""
    if request.form.get("then") == "next":
        following = grading.queue_place(_state().session(), attempt, scope=_scope()).after_this
        if following is not None:
            return redirect(url_for(".grade", attempt_id=following), code=303)
        flash(_("Nothing else is waiting for grading."), "info")
    return redirect(url_for(".grading_queue"), code=303)
