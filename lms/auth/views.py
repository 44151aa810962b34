"""Sign in, sign out and choose the UI language."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from lms.auth import bp
from lms.auth.forms import LocaleForm, LoginForm, PostForm
from lms.auth.session import SessionUser, current_learner
from lms.config import LOCALES
from lms.services.accounts import authenticate


def _safe_next(target: str | None) -> str:
    """Only follow same-site relative paths after sign-in (no open redirect)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") \
                and not target.startswith("//"):
            return target
    return url_for("lms.learn.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    state = current_app.extensions["lms"]
    if state.user_loader is not None:
        return redirect(current_app.config.get("LMS_LOGIN_URL") or "/")
    if current_learner() is not None and request.method == "GET":
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm(next=request.args.get("next", ""))
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            db = state.session()
            user = authenticate(db, form.username.data, form.password.data)
            if user is not None:
                session.clear()
                login_user(SessionUser(user))
                return redirect(_safe_next(form.next.data))
            flash(_("Wrong username or password."), "error")
        elif "csrf_token" in form.errors:
            flash(_("The form expired. Please sign in again."), "error")
        else:
            flash(_("Please enter your username and password."), "error")
        status = 400 if form.errors else 401
    return render_template("lms/auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    form = PostForm()
    if form.validate_on_submit():
        logout_user()
        flash(_("You have signed out."), "info")
    return redirect(url_for("lms.auth.login"))


@bp.route("/locale", methods=["POST"])
def choose_locale():
    form = LocaleForm()
    if form.validate_on_submit() and form.locale.data in LOCALES:
        session["lms_locale"] = form.locale.data
    return redirect(_safe_next(form.next.data))
