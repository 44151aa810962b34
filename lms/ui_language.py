"""The interface's language, worked out once per locale instead of once per request.

Flask-Babel parses the locale selector's answer on every request and looks the catalog up again
for every string of a page, and Flask-WTF reads WTForms' own catalog ("This field is
required." and the like) from disk on every request that builds a form. All of it depends on
the locale alone, so the parsed locale and the catalogs are kept for the life of the process,
and a page's templates translate through callables bound to the catalog once per render.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from babel import Locale, support
from flask import request
from flask_babel import Domain, _get_current_context, get_locale, get_translations
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup


@cache
def parsed_locale(identifier: str) -> Locale:
    """The ``Locale`` for a setting's value; Flask-Babel takes a ``Locale`` without parsing."""
    return Locale.parse(identifier)


class KeptDomain(Domain):
    """LMS's catalog, found once per request and locale rather than once per string."""

    def get_translations(self) -> support.NullTranslations:
        context = _get_current_context()  # Flask-Babel's per-request namespace
        if context is None:
            return super().get_translations()
        kept = getattr(context, "lms_kept_translations", None)
        locale = getattr(context, "babel_locale", None)  # force_locale swaps it: looked up anew
        if kept is not None and locale is not None and kept[0] is self and kept[1] is locale:
            return kept[2]
        translations = super().get_translations()
        context.lms_kept_translations = (self, context.babel_locale, translations)
        return translations


@lru_cache(maxsize=64)  # a host's selector may answer any locale
def _wtforms_catalog(locale: str) -> support.NullTranslations:
    from wtforms.i18n import messages_path

    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class WtformsMessages:
    """WTForms' built-in messages in the request's language, from the catalog kept per locale."""

    def ugettext(self, string: str) -> str:
        return _wtforms_catalog(str(get_locale())).ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_catalog(str(get_locale())).ungettext(singular, plural, n)


WTFORMS_MESSAGES = WtformsMessages()


def use_kept_wtforms_messages() -> None:
    """Give Flask-WTF the kept catalog: it reads ``request.wtforms_translations`` first and
    loads the catalog itself only when that is unset."""
    request.wtforms_translations = WTFORMS_MESSAGES


def template_translators() -> dict[str, Any]:
    """``_``, ``gettext`` and ``ngettext`` for one render, bound to the request's catalog.

    The callables Flask-Babel installs in Jinja find the catalog through several context-local
    look-ups per string (about 10 µs; a module page translates some 30 strings). These give
    the same answers, formatted as Jinja's "newstyle" i18n formats them (always ``%``-format,
    ``Markup`` under autoescape), from a catalog looked up once. As context variables they
    shadow the environment's only in LMS templates; macros imported without context keep
    the environment's.
    """
    translations = get_translations()
    ugettext, ungettext = translations.ugettext, translations.ungettext

    @pass_eval_context
    def gettext(eval_ctx: EvalContext, string: str, /, **variables: Any) -> str:
        text = ugettext(string)
        return (Markup(text) if eval_ctx.autoescape else text) % variables

    @pass_eval_context
    def ngettext(eval_ctx: EvalContext, singular: str, plural: str, num: int, /,
                 **variables: Any) -> str:
        variables.setdefault("num", num)
        text = ungettext(singular, plural, num)
        return (Markup(text) if eval_ctx.autoescape else text) % variables

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}
