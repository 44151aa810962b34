"""Who is signed in: LMS's own flask-login accounts, or a host app's users via a loader."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask_login import LoginManager, UserMixin, current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from lms.json_guard import wants_json
from lms.models import Role, User
from lms.services.accounts import host_user_is_current, sync_host_user
from lms.services.errors import PermissionDenied
from lms.services.permissions import Action, Resource, Scope, allowed, scope_of


class SessionUser(UserMixin):
    """What flask-login keeps in the cookie: the id plus the person's session version.

    Sign-out, a password change and deactivation add one to ``User.session_version``
    (``accounts.end_sessions``), so every cookie holding the old number stops working.
    """

    def __init__(self, user: User):
        self.user_id = user.id
        self._token = f"{user.id}:{user.session_version}"
        # Held for this request only (flask-login keeps the object on ``g``), so the
        # session's weak identity map still has the row when ``current_learner`` asks for it.
        self._row = user

    def get_id(self) -> str:
        return self._token


def install_login(app: Flask, state: Any) -> None:
    """Use the host's user loader if given, else LMS's own flask-login accounts."""
    if state.user_loader is not None:
        return
    if getattr(app, "login_manager", None) is not None:
        if not hasattr(app.login_manager, "_lms_owned"):
            raise RuntimeError(
                "this app already uses flask-login: give LMS a user_loader that returns "
                "lms.HostUser so it can map your users"
            )
        return
    manager = LoginManager()
    manager._lms_owned = True
    manager.init_app(app)
    manager.login_view = "lms.auth.login"
    manager.session_protection = "basic"

    @manager.user_loader
    def _load(token: str) -> SessionUser | None:
        # The version comes with the row loaded anyway: checking it costs no query.
        user_id, _, version = token.partition(":")
        if not (user_id.isdigit() and version.isdigit()):
            return None  # also a cookie from before session versions: signed out once
        # With the person's unit: the scope check and the header both want it.
        user = state.session().execute(_USER_WITH_UNIT, {"id": int(user_id)}).scalar()
        if user is None or not user.active or user.session_version != int(version):
            return None
        return SessionUser(user)


#: Built once, with its cache key: every signed-in request loads the person with it.
_USER_WITH_UNIT = (select(User).options(joinedload(User.org_unit))
                   .where(User.id == bindparam("id")))


def current_learner() -> User | None:
    """Return the signed-in LMS user (a row in lms_users) or None."""
    if "lms_user" in g:
        return g.lms_user
    state = current_app.extensions["lms"]
    session = state.session()
    user: User | None = None
    if state.user_loader is not None:
        identity = state.user_loader()
        if identity is not None:
            user = session.scalar(select(User).where(User.external_id == identity.external_id))
            if not host_user_is_current(user, identity):
                user = sync_host_user(session, identity)
            if not user.active:
                user = None
    elif current_user.is_authenticated:
        user = session.get(User, current_user.user_id)
    g.lms_user = user
    return user


def current_scope() -> Scope:
    """What the signed-in user's grants reach, read once per request (``permissions.scope_of``).

    Kept on ``g`` with the user it was read for, so every check of a page (hooks, views,
    ``lms_can`` in templates) shares one read; services take the Scope as an argument.
    """
    user = current_learner()
    key = (user.id, user.active) if user is not None else None
    cached = g.get("lms_scope")
    if cached is not None and cached[0] == key:
        return cached[1]
    scope = scope_of(current_app.extensions["lms"].session(), user)
    g.lms_scope = (key, scope)
    return scope


def current_can(action: Action | str, resource: Resource = None) -> bool:
    """``permissions.can`` for the signed-in user, from the request's ``current_scope``."""
    user = current_learner()
    if user is None or not user.active:
        allowed(Scope(), action, resource)  # still refuse a resource of the wrong kind
        return False
    return allowed(current_scope(), action, resource)


def current_require(action: Action | str, resource: Resource = None) -> None:
    """``permissions.require`` for the signed-in user: PermissionDenied (403) unless allowed."""
    if not current_can(action, resource):
        raise PermissionDenied(f"not allowed to {Action(action).value}")


def login_url(next_url: str | None = None) -> str:
    state = current_app.extensions["lms"]
    if state.user_loader is not None:
        return current_app.config.get("LMS_LOGIN_URL") or "/"
    return url_for("lms.auth.login", next=next_url)


def require_role(*roles: Role) -> Callable:
    """Let the view run only for a signed-in user holding one of ``roles`` (any if none)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            user = current_learner()
            if user is None:
                if wants_json():
                    abort(401)
                return redirect(login_url(request.full_path.rstrip("?")))
            if roles and user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


login_required = require_role()
