"""The UI's catalog is found once per request, yet a language forced within one is obeyed."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale, gettext


def test_a_forced_language_is_used_inside_and_undone_after(app):
    """Mail text in the configured language while the page is in the person's."""
    with app.test_request_context("/"):
        app.extensions["lms"].translations.as_default()
        assert gettext("Page not found") == "页面不存在"
        with force_locale("en"):
            assert gettext("Page not found") == "Page not found"
        assert gettext("Page not found") == "页面不存在"



def _render(app, source: str, path: str = "/login", **context) -> str:
    """A string template rendered as an LMS page renders (the LMS blueprint's context)."""
    with app.test_request_context(path, headers={"Accept-Language": "zh-CN"}):
        app.preprocess_request()
        return render_template_string(source, **context)


def test_a_page_translates_each_string_in_the_readers_language(app):
    assert _render(app, "{{ _('Page not found') }}") == "页面不存在"
    with app.test_request_context("/login"):
        app.preprocess_request()
        with force_locale("en"):
            assert render_template_string("{{ _('Page not found') }}") == "Page not found"


def test_values_put_into_a_translated_string_are_escaped_and_percent_signs_kept(app):
    """As Jinja's own i18n does it: every string is %-formatted, values are escaped."""
    assert _render(app, "{{ _('Hello %(name)s', name=who) }}", who="<b>王</b>") \
        == "Hello &lt;b&gt;王&lt;/b&gt;"
    assert _render(app, "{{ _('<b>%(name)s</b>', name='<i>') }}") == "<b>&lt;i&gt;</b>"
    assert _render(app, "{{ _('100%% done') }}") == "100% done"
    assert _render(app, "{{ ngettext('%(num)s item', '%(num)s items', n) }}", n=3) == "3 items"
    assert _render(app, "{% autoescape false %}{{ _('%(v)s', v='<i>') }}{% endautoescape %}") \
        == "<i>"
