"""The course outline beside a module's text, rendered once per course version and state.

The outline is the same for everyone whose progress through the course looks the same: it
shows the course, the module being read, each module's status and lock, and the progress bar,
in the reader's language, with links built for this app. Rendering it cost a seventh of a
module page, so the HTML is kept with the course's view (lms.services.course_views) under
exactly those things; a new version of the course starts with none kept.
"""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import get_locale
from markupsafe import Markup

from lms.content.course_source import SLUG
from lms.learn import bp
from lms.services.course_views import CourseView, ModuleView
from lms.services.progress import CourseOutline
from lms.urls import lms_url

#: Kept outlines per course version; past it the course's are dropped and kept anew.
MOST_KEPT = 512


@bp.app_template_global("lms_outline")
def outline_html(course: CourseView, outline: CourseOutline, module: ModuleView) -> Markup:
    urls = module_urls(course)
    course_url = lms_url("lms.learn.course", slug=course.slug)
    locks = outline.locks
    key = (str(get_locale()), course_url, tuple(urls.values()), module.id, outline.percent,
           tuple((item.module.id, item.status.value, item.module.id in locks)
                 for item in outline.modules))
    kept = course.fragments.get(key)
    if kept is None:
        kept = Markup(render_template("lms/learn/_outline.html", course=course,
                                      outline=outline, module=module, module_urls=urls,
                                      course_url=course_url))
        if len(course.fragments) >= MOST_KEPT:
            course.fragments.clear()
        course.fragments[key] = kept
    return kept


_SLUG_HERE = "lms-module-slug-here"


@bp.app_template_global("lms_module_urls")
def module_urls(course) -> dict[str, str]:
    """Each module's page URL by slug, from one ``lms_url`` (one per module was a tenth of
    the outline): a slug of letters, digits and hyphens needs no quoting, so it takes the
    place of a marker (a host's URL defaults may add a query string after it); any other
    slug is built on its own."""
    head, marker, tail = lms_url("lms.learn.module", slug=course.slug,
                                 module_slug=_SLUG_HERE).rpartition(_SLUG_HERE)
    return {module.slug: head + module.slug + tail if marker and SLUG.fullmatch(module.slug)
            else url_for("lms.learn.module", slug=course.slug, module_slug=module.slug)
            for module in course.modules}
