"""The UI's catalog is found once per request, yet a language forced within one is obeyed."""

from __future__ import annotations

from flask_babel import force_locale, gettext


def test_a_forced_language_is_used_inside_and_undone_after(app):
    """Mail text in the configured language while the page is in the person's."""
    with app.test_request_context("/"):
        app.extensions["lms"].translations.as_default()
        assert gettext("Page not found") == "页面不存在"
        with force_locale("en"):
            assert gettext("Page not found") == "Page not found"
        assert gettext("Page not found") == "页面不存在"

