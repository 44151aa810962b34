"""Thin views: check who is asking, call one service, render."""

from __future__ import annotations

from flask import current_app, jsonify, redirect, render_template, request, url_for

from lms.auth.forms import PostForm
from lms.auth.session import current_learner, login_required
from lms.content.course_rules import course_rules
from lms.duty_labels import DUTY_LABELS
from lms.json_guard import accepts_json
from lms.learn import bp
from lms.learn.json_body import JsonRefused, bad_request, signed_in_json
from lms.learn.notices import home_notices
from lms.models import AttemptStatus
from lms.services import (
    assignments,
    attempt_review,
    certificates,
    course_completion,
    due_dates,
    hours,
    hours_targets,
    overrides,
    progress,
    quizzes,
)
from lms.services.course_views import module_of, published_course, published_courses
from lms.services.errors import DomainError, Unanswered


def _state():
    return current_app.extensions["lms"]


def _grace():
    return current_app.config["LMS_QUIZ_GRACE"]


@bp.route("/")
@login_required
def home():
    db = _state().session()
    user = current_learner()
    outlines = progress.course_outlines(db, user, published_courses(db))
    today = assignments.today()
    sections = due_dates.home_sections(outlines, today)
    totals = hours.year_totals(db, user.id, today.year)
    return render_template("lms/learn/home.html", assigned=sections.assigned,
                           mine=sections.mine, available=sections.available, year=today.year,
                           hours=totals, duty_label=DUTY_LABELS[user.duty],
                           standing=hours_targets.standing(user.duty, today.year,
                                                           totals["total"]),
                           notices=home_notices(db, user.id))


@bp.route("/courses/<slug>")
@login_required
def course(slug: str):
    db = _state().session()
    user = current_learner()
    course = published_course(db, slug)
    outline = progress.course_outline(db, user, course)
    rules = course_rules(course)
    return render_template("lms/learn/course.html", outline=outline, rules=rules,
                           course_hours=course_completion.hours_this_round(
                               db, user.id, course, outline.enrollment),
                           reasons=overrides.reasons_for(db, user, course),
                           certificate=certificates.valid_for(db, user.id, course.id)
                           if outline.completed else None,
                           due=due_dates.due_state(outline.enrollment, assignments.today()))


@bp.route("/courses/<slug>/modules/<module_slug>")
@login_required
def module(slug: str, module_slug: str):
    db = _state().session()
    user = current_learner()
    course = published_course(db, slug)
    module = module_of(course, module_slug)
    outline, record = progress.visit_module(db, user, course, module)
    question_count = outline.question_count(module.id)
    return render_template("lms/learn/module.html", outline=outline, module=module,
                           progress=record, question_count=question_count,
                           needed=progress.still_needed(db, user, module, record,
                                                        with_quiz=question_count > 0),
                           attempts_left=quizzes.attempts_left(db, user, module),
                           past=attempt_review.past_attempts(db, user, module)
                           if question_count else [])


def _render_quiz(course, module, attempt, *, values=None, missing=(), expired=False,
                 status=200):
    state = _state()
    return render_template(
        "lms/learn/quiz.html", course=course, module=module, attempt=attempt,
        questions=quizzes.questions_to_show(state.question_types, attempt),
        answers=values if values is not None else attempt.draft, missing=list(missing),
        expired=expired, form=PostForm(),
        attempts_left=quizzes.attempts_left(state.session(), current_learner(), module),
    ), status


class _Elsewhere(Exception):
    """The attempt belongs to another module: send the trainee to its own URL."""

    def __init__(self, attempt):
        self.response = redirect(url_for(".attempt", slug=attempt.module.course.slug,
                                         module_slug=attempt.module.slug, attempt_id=attempt.id))


def _own_attempt(slug: str, module_slug: str, attempt_id: int):
    """Return (course, module, attempt) for the signed-in trainee's own attempt."""
    db = _state().session()
    course = published_course(db, slug)
    module = module_of(course, module_slug)
    attempt = quizzes.get_own_attempt(db, current_learner(), attempt_id)
    if attempt.module_id != module.id:
        raise _Elsewhere(attempt)
    return course, module, attempt


@bp.errorhandler(_Elsewhere)
def _redirect_elsewhere(error: _Elsewhere):
    return error.response


@bp.route("/courses/<slug>/modules/<module_slug>/quiz")
@login_required
def quiz(slug: str, module_slug: str):
    state = _state()
    db = state.session()
    user = current_learner()
    course = published_course(db, slug)
    module = module_of(course, module_slug)
    if not module.current_question_count:
        return redirect(url_for(".module", slug=slug, module_slug=module_slug))
    try:
        attempt = quizzes.start_or_resume(db, state.question_types, user, module,
                                          grace=_grace())
    except quizzes.NoAttemptsLeft:
        return render_template("lms/learn/no_attempts.html", course=course, module=module,
                               attempts=quizzes.settings_of(module).attempts), 403
    if attempt.status is not AttemptStatus.IN_PROGRESS:  # time ran out on the last attempt
        return redirect(url_for(".attempt", slug=slug, module_slug=module_slug,
                                attempt_id=attempt.id))
    return _render_quiz(course, module, attempt)


@bp.route("/courses/<slug>/modules/<module_slug>/attempts/<lms_id:attempt_id>/submit",
          methods=["GET", "POST"])
@login_required
def submit(slug: str, module_slug: str, attempt_id: int):
    if request.method == "GET":  # a reload after a refused submission: back to the quiz
        return redirect(url_for(".quiz", slug=slug, module_slug=module_slug))
    state = _state()
    db = state.session()
    user = current_learner()
    course, module, attempt = _own_attempt(slug, module_slug, attempt_id)
    values = {f"q{n}": request.form.getlist(f"q{n}")
              for n in range(1, len(attempt.questions) + 1)}
    if not PostForm().validate():
        return _render_quiz(course, module, attempt, values=values, expired=True, status=400)
    try:
        attempt, _graded = quizzes.submit_attempt(db, state.question_types, user,
                                                  attempt_id, values, grace=_grace())
    except Unanswered as error:
        return _render_quiz(course, module, attempt, values=values, missing=error.numbers,
                            status=400)
    return redirect(url_for(".attempt", slug=slug, module_slug=module_slug,
                            attempt_id=attempt.id), code=303)


@bp.route("/courses/<slug>/modules/<module_slug>/attempts/<lms_id:attempt_id>")
@login_required
def attempt(slug: str, module_slug: str, attempt_id: int):
    state = _state()
    db = state.session()
    user = current_learner()
    course, module, attempt = _own_attempt(slug, module_slug, attempt_id)
    if attempt.status is AttemptStatus.IN_PROGRESS:
        return redirect(url_for(".quiz", slug=slug, module_slug=module_slug))
    visible = attempt_review.answers_visible(attempt, attempt_review.has_passed(db, user, module))
    outline = progress.course_outline(db, user, course)
    return render_template("lms/learn/attempt.html", course=course, module=module,
                           attempt=attempt, outline=outline, show_answers=visible,
                           attempts_left=quizzes.attempts_left(db, user, module),
                           review=attempt_review.review_attempt(state.question_types, attempt, visible))


@bp.route("/attempts/<lms_id:attempt_id>/draft", methods=["POST"])
@accepts_json
def save_draft(attempt_id: int):
    """Keep the answers given so far; the quiz page calls this as the trainee answers.

    Answers in JSON (errors too), with the CSRF token in the X-CSRFToken header.
    """
    try:
        user, payload = signed_in_json()
    except JsonRefused as refused:
        return refused.response
    if not isinstance(payload.get("answers"), dict):
        return bad_request('expected {"answers": {...}}')
    try:
        saved_at = quizzes.save_draft(_state().session(), user, attempt_id,
                                      payload["answers"], grace=_grace())
    except DomainError as error:
        return jsonify(error=type(error).__name__, message=str(error)), error.status
    return jsonify(saved_at=saved_at.isoformat())
