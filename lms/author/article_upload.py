"""Thin view: an uploaded article becomes a draft course, its warnings shown to check."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from lms.auth.session import current_learner, current_require, login_required
from lms.author import bp
from lms.author.article_wording import unreadable_text, warning_text
from lms.author.draft_forms import ArticleUploadForm
from lms.author.draft_wording import refusal_text
from lms.content.article_import import import_article
from lms.content.article_source import ArticleUnreadable
from lms.services import drafts
from lms.services.permissions import Action

#: Warnings shown one by one after an import; beyond this, a count of the rest.
SHOWN_WARNINGS = 20


@bp.route("/courses/import-article", methods=["GET", "POST"])
@login_required
def import_article_page():
    current_require(Action.CREATE_COURSE)
    form = ArticleUploadForm()
    status = 400
    if form.validate_on_submit():
        try:
            article = import_article(form.file.data.read(), form.file.data.filename or "",
                                     form.slug.data, title=form.title.data or None)
            course = drafts.create_course(current_app.extensions["lms"].session(),
                                          current_learner(), article.files)
        except ArticleUnreadable as unreadable:
            form.file.errors.append(unreadable_text(unreadable))
        except drafts.DraftRefused as refused:
            form.slug.errors.append(refusal_text(refused))
            if refused.code == "slug_taken":  # also a replayed upload: it imports nothing
                status = 409
        else:
            summary = article.summary
            flash(_("Imported as a draft: %(modules)s chapters, %(paragraphs)s paragraphs, "
                    "%(warnings)s warnings to check.", modules=summary.modules,
                    paragraphs=summary.paragraphs, warnings=summary.warnings))
            for warning in article.warnings[:SHOWN_WARNINGS]:
                flash(warning_text(warning), "warning")
            if len(article.warnings) > SHOWN_WARNINGS:
                flash(_("…and %(count)s more warnings.",
                        count=len(article.warnings) - SHOWN_WARNINGS), "warning")
            return redirect(url_for("lms.author.draft", slug=course.slug), 303)
    status = status if form.errors else 200
    return render_template("lms/author/article_upload.html", form=form), status
