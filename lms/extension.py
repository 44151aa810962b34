"""The Flask extension object and the per-app state it keeps in ``app.extensions["lms"]``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from babel import Locale
from flask import Flask, g, has_request_context, request
from flask_babel import Babel
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from lms import config
from lms.db import (
    make_autocommit_sessionmaker,
    make_engine,
    make_sessionmaker,
    transactions_read_committed,
)
from lms.plugins import QuestionTypeRegistry, load_question_types
from lms.resources import PACKAGE_DIR
from lms.services.accounts import HostIdentity
from lms.services.course_views import VIEWS_KEY, CourseViews
from lms.services.dispatch import DispatchReport, dispatch_pending
from lms.subscribers import load_handlers, load_listeners
from lms.ui_language import KeptDomain, parsed_locale
from lms.unit_of_work import BUS_KEY, EventBus
from lms.urls import KeptUrls

HostUser = HostIdentity
UserLoader = Callable[[], HostIdentity | None]


class LmsState:
    """Everything LMS keeps for one app: engine, sessions, registries, event subscribers."""

    def __init__(self, app: Flask, extension: LMS, engine: Engine, url_prefix: str,
                 user_loader: UserLoader | None):
        self.app = app
        self.extension = extension
        self.engine = engine
        self.url_prefix = url_prefix
        self._user_loader = user_loader
        self.question_types: QuestionTypeRegistry = load_question_types()
        self.handlers = load_handlers()
        self.listeners = load_listeners()
        self.bus = EventBus(self.handlers, self.listeners, on_commit=_note_events_committed)
        self.translations = KeptDomain(translation_directories=[str(PACKAGE_DIR / "translations")])
        self.limiter: Any = None  # a flask_limiter.Limiter once init_app guarded the views
        self.course_views = CourseViews()
        self.kept_urls = KeptUrls()
        self.bind(engine)

    def bind(self, bind: Any) -> None:
        """Point new sessions at an engine, or at one connection (tests' SAVEPOINT isolation).
        Course views read through the old bind are dropped: they may hold rolled-back rows."""
        self.course_views.clear()
        shared = {BUS_KEY: self.bus, VIEWS_KEY: self.course_views}
        self.sessionmaker: sessionmaker[Session] = make_sessionmaker(bind)
        self.sessionmaker.configure(info=shared)
        self.page_sessionmaker = make_autocommit_sessionmaker(bind)
        self._page_engine = bind if self.page_sessionmaker is not None else None
        self._reads_committed: bool | None = None  # asked of the database on first use
        if self.page_sessionmaker is not None:
            self.page_sessionmaker.configure(info={**self.page_sessionmaker.kw["info"], **shared})

    @property
    def user_loader(self) -> UserLoader | None:
        return self._user_loader or self.extension._user_loader

    def session(self) -> Session:
        """Return this app context's session, creating it on first use. A trainee's request
        (the learn blueprint: the hot path) reads in autocommit where that saves round trips
        (``make_autocommit_sessionmaker``); its writes still run in units of work, each one
        transaction."""
        if "lms_session" not in g:
            maker = self.sessionmaker
            if (self.page_sessionmaker is not None and has_request_context()
                    and request.blueprint == "lms.learn"
                    and self._transactions_read_committed()):
                maker = self.page_sessionmaker
            g.lms_session = maker()
        return g.lms_session

    def _transactions_read_committed(self) -> bool:
        """``transactions_read_committed`` of the bound engine, asked on first use."""
        if self._reads_committed is None:
            self._reads_committed = transactions_read_committed(self._page_engine)
        return self._reads_committed

    def dispatch_events(self, limit: int = 100) -> DispatchReport:
        """Deliver due outbox events to the listeners, in a session of its own."""
        session = self.sessionmaker()
        try:
            return dispatch_pending(session, self.listeners, limit=limit)
        finally:
            session.close()

    def dispatch_after_response(self) -> None:
        """Run from the response's close: the trainee already has the page."""
        with self.app.app_context():
            try:
                self.dispatch_events(limit=self.app.config["LMS_DISPATCH_BATCH"])
            except Exception:  # the outbox keeps them; `lms events dispatch` will retry
                logging.getLogger(__name__).exception("dispatch after request failed")


def _note_events_committed() -> None:
    if has_request_context():
        g.lms_events_committed = True


class LMS:
    """The 党建培训学堂 extension: ``LMS(app)`` or ``lms.init_app(app, url_prefix=...)``."""

    def __init__(self, app: Flask | None = None, **options: Any):
        self._user_loader: UserLoader | None = None
        if app is not None:
            self.init_app(app, **options)

    def user_loader(self, callback: UserLoader) -> UserLoader:
        """Register how a host app tells LMS who is signed in (returns a ``HostUser``)."""
        self._user_loader = callback
        return callback

    def init_app(self, app: Flask, url_prefix: str = "", engine: Engine | None = None,
                 user_loader: UserLoader | None = None) -> LmsState:
        if "lms" in app.extensions:
            raise RuntimeError("LMS is already initialised on this app")
        config.apply_defaults(app)
        if not app.config.get("LMS_DATABASE_URL"):
            app.config["LMS_DATABASE_URL"] = config.default_database_url(app)
        if not app.secret_key:
            app.secret_key = app.config["LMS_SECRET_KEY"] or config.instance_secret_key(app)
        if engine is None:
            engine = make_engine(app.config["LMS_DATABASE_URL"],
                                 busy_timeout_ms=app.config["LMS_SQLITE_BUSY_TIMEOUT_MS"])
        url_prefix = url_prefix.rstrip("/")
        state = LmsState(app, self, engine, url_prefix, user_loader)
        app.extensions["lms"] = state

        if "babel" not in app.extensions:
            Babel(app, default_locale=app.config["LMS_DEFAULT_LOCALE"],
                  locale_selector=_select_locale)

        from lms import rate_limits
        from lms.auth.session import install_login
        from lms.cli_group import LmsCommands
        from lms.request_args import IdConverter
        from lms.web import create_blueprint

        install_login(app, state)
        app.url_map.converters["lms_id"] = IdConverter  # before the routes that use it
        app.register_blueprint(create_blueprint(state.question_types), url_prefix=url_prefix or None)
        state.limiter = rate_limits.install(app)
        app.cli.add_command(LmsCommands())

        @app.after_request
        def _dispatch_when_events_committed(response):
            if g.pop("lms_events_committed", False) and app.config["LMS_DISPATCH_AFTER_REQUEST"]:
                response.call_on_close(state.dispatch_after_response)
            return response

        @app.teardown_appcontext
        def _close_session(_exc: BaseException | None) -> None:
            session = g.pop("lms_session", None)
            if session is not None:
                session.close()

        return state


def _select_locale() -> Locale:
    """The chosen or default locale, parsed once per process rather than once per request.
    Outside a request (the CLI, a timer) nobody has chosen: the default is the language."""
    from flask import current_app, session

    chosen = session.get("lms_locale") if has_request_context() else None
    return parsed_locale(chosen if chosen in config.LOCALES
                         else current_app.config["LMS_DEFAULT_LOCALE"])


def get_state(app: Flask | None = None) -> LmsState:
    from flask import current_app

    return (app or current_app).extensions["lms"]
