"""Thin views: check who is asking, call one service, render."""

from __future__ import annotations

import secrets

from flask import current_app, redirect, render_template, request, url_for

from lms.auth.forms import PostForm
from lms.auth.session import current_learner, login_required
from lms.db import write_transaction
from lms.learn import bp
from lms.services import catalog, progress, quizzes
from lms.services.errors import Unanswered


def _state():
    return current_app.extensions["lms"]


@bp.route("/")
@login_required
def home():
    db = _state().session()
    user = current_learner()
    outlines = [progress.course_outline(db, user, c) for c in catalog.list_courses(db)]
    mine = [o for o in outlines if o.enrollment is not None]
    available = [o for o in outlines if o.enrollment is None]
    return render_template("lms/learn/home.html", mine=mine, available=available)


@bp.route("/courses/<slug>")
@login_required
def course(slug: str):
    db = _state().session()
    outline = progress.course_outline(db, current_learner(), catalog.get_course(db, slug))
    return render_template("lms/learn/course.html", outline=outline)


@bp.route("/courses/<slug>/modules/<module_slug>")
@login_required
def module(slug: str, module_slug: str):
    db = _state().session()
    user = current_learner()
    course = catalog.get_course(db, slug)
    module = catalog.get_module(db, course, module_slug)
    with write_transaction(db):
        record = progress.record_visit(db, user, module)
    outline = progress.course_outline(db, user, course)
    return render_template("lms/learn/module.html", outline=outline, module=module,
                           progress=record)


@bp.route("/courses/<slug>/modules/<module_slug>/quiz", methods=["GET", "POST"])
@login_required
def quiz(slug: str, module_slug: str):
    state = _state()
    db = state.session()
    user = current_learner()
    course = catalog.get_course(db, slug)
    module = catalog.get_module(db, course, module_slug)
    shown = quizzes.questions_to_show(state.question_types, module)
    if not shown:
        return redirect(url_for(".module", slug=slug, module_slug=module_slug))
    form = PostForm()
    if request.method == "GET":
        return render_template("lms/learn/quiz.html", course=course, module=module,
                               questions=shown, token=secrets.token_urlsafe(24), form=form,
                               answers={}, missing=[],
                               pass_mark=progress.module_pass_mark(module))
    token = request.form.get("token", "")
    answers = {q.field: request.form.getlist(q.field) for q in shown}
    if not form.validate():
        return render_template("lms/learn/quiz.html", course=course, module=module,
                               questions=shown, token=token, form=form, answers=answers,
                               missing=[], expired=True,
                               pass_mark=progress.module_pass_mark(module)), 400
    try:
        with write_transaction(db):
            attempt, _created = quizzes.submit_quiz(db, state.question_types, user, module,
                                                    token, answers)
    except Unanswered as error:
        return render_template("lms/learn/quiz.html", course=course, module=module,
                               questions=shown, token=token, form=form, answers=answers,
                               missing=error.numbers,
                               pass_mark=progress.module_pass_mark(module)), 400
    return redirect(url_for(".attempt", slug=slug, module_slug=module_slug,
                            attempt_id=attempt.id), code=303)


@bp.route("/courses/<slug>/modules/<module_slug>/attempts/<int:attempt_id>")
@login_required
def attempt(slug: str, module_slug: str, attempt_id: int):
    state = _state()
    db = state.session()
    user = current_learner()
    course = catalog.get_course(db, slug)
    module = catalog.get_module(db, course, module_slug)
    attempt = quizzes.get_attempt(db, user, attempt_id)
    if attempt.module_id != module.id:
        return redirect(url_for(".attempt", slug=attempt.module.course.slug,
                                module_slug=attempt.module.slug, attempt_id=attempt.id))
    outline = progress.course_outline(db, user, course)
    return render_template("lms/learn/attempt.html", course=course, module=module,
                           attempt=attempt, outline=outline,
                           review=quizzes.review_attempt(state.question_types, attempt))
