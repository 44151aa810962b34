"""Sign in, sign out, change one's own password and choose the UI language."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from lms.auth import bp
from lms.auth.forms import ChangePasswordForm, LocaleForm, LoginForm, PostForm
from lms.auth.session import SessionUser, current_learner, login_required
from lms.config import LOCALES
from lms.json_guard import wants_json
from lms.rate_limits import note_wrong_password, password_guarded
from lms.services.accounts import change_password, end_sessions, sign_in
from lms.services.errors import InvalidInput

#: What a person with a one-time password may still open: the rest sends them to /account.
OPEN_WHILE_PASSWORD_MUST_CHANGE = {"lms.auth.account", "lms.auth.logout",
                                   "lms.auth.choose_locale", "lms.auth.choose_display",
                                   "lms.static"}


def _safe_next(target: str | None) -> str:
    """Only follow same-site relative paths after sign-in (no open redirect)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") \
                and not target.startswith("//"):
            return target
    return url_for("lms.learn.home")


@bp.route("/login", methods=["GET", "POST"])
@password_guarded(lambda: request.form.get("username", ""))
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
            user = sign_in(db, form.username.data, form.password.data)
            if user is not None:
                session.clear()
                login_user(SessionUser(user))
                return redirect(_safe_next(form.next.data))
            note_wrong_password()
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
        user = current_learner()
        if user is not None and current_app.extensions["lms"].user_loader is None:
            # A copy of this cookie (or another device's) must not stay signed in.
            end_sessions(current_app.extensions["lms"].session(), user)
        logout_user()
        flash(_("You have signed out."), "info")
    return redirect(url_for("lms.auth.login"))


@bp.before_app_request
def send_to_account_until_password_changed():
    """A person signed in with a one-time password must choose their own before anything else."""
    if "lms" not in request.blueprints or request.endpoint in OPEN_WHILE_PASSWORD_MUST_CHANGE:
        return None
    user = current_learner()
    if user is None or not user.must_change_password:
        return None
    if wants_json():
        abort(403)
    return redirect(url_for("lms.auth.account"))


def _signed_in_id() -> str:
    user = current_learner()
    return str(user.id) if user is not None else ""


@bp.route("/account", methods=["GET", "POST"])
@password_guarded(_signed_in_id)
@login_required
def account():
    user = current_learner()
    form = ChangePasswordForm()
    if request.method == "GET":
        return render_template("lms/auth/account.html", form=form, user=user)
    if form.validate_on_submit():
        try:
            change_password(current_app.extensions["lms"].session(), user,
                            form.current_password.data, form.new_password.data)
        except InvalidInput as error:
            if error.field == "current_password":
                note_wrong_password()
                form.current_password.errors.append(_("Your current password is not right."))
            else:
                form.new_password.errors.append(
                    _("The new password must differ from the current one."))
        else:
            # The change ended every session of this person (the session version); this
            # one continues, signed in again with the new version.
            login_user(SessionUser(user))
            flash(_("Your password was changed. Your other sessions were signed out."), "info")
            return redirect(url_for("lms.auth.account"))
    elif "csrf_token" in form.errors:
        flash(_("The form expired. Please try again."), "error")
    return render_template("lms/auth/account.html", form=form, user=user), 400


@bp.route("/locale", methods=["POST"])
def choose_locale():
    form = LocaleForm()
    if form.validate_on_submit() and form.locale.data in LOCALES:
        session["lms_locale"] = form.locale.data
    return redirect(_safe_next(form.next.data))
