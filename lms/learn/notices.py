"""My notices: due-date reminders and (for admins) overdue digests, newest first.

Only on this page and the home page: the header shows no count, so no other page pays a query.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from lms.auth.forms import PostForm
from lms.auth.session import current_learner, login_required
from lms.learn import bp
from lms.notice_wording import Wording, word
from lms.request_args import page_arg
from lms.services import notices as notice_service
from lms.services.notices import NoticeLine

PAGE_SIZE = 20
#: Unread notices shown on the home page (the rest are a link away).
HOME_PREVIEW = 3


def worded(lines: list[NoticeLine]) -> list[tuple[NoticeLine, Wording]]:
    """Each line with what it says in the page's language (templates call no services)."""
    return [(line, word(line.notice.kind, line.notice.params or {}, line.course_title,
                        line.course_slug)) for line in lines]


@dataclass(frozen=True)
class HomeNotices:
    items: list[tuple[NoticeLine, Wording]]
    unread: int


def home_notices(db: Session, user_id: int) -> HomeNotices:
    """The newest unread notices for the home page: one query, the unread count included."""
    lines, unread = notice_service.unread_preview(db, user_id, limit=HOME_PREVIEW)
    return HomeNotices(worded(lines), unread)


@bp.route("/notices")
@login_required
def notices():
    db = current_app.extensions["lms"].session()
    lines, total, page = notice_service.notices_page(db, current_learner().id, page_arg(),
                                                     PAGE_SIZE)
    return render_template("lms/learn/notices.html", items=worded(lines), total=total,
                           page=page, pages=max(1, -(-total // PAGE_SIZE)), form=PostForm())


def _back():
    """Back to the page of the list the button was on."""
    page = request.form.get("page", type=int)
    return redirect(url_for(".notices", page=page if page and page > 1 else None), code=303)


@bp.route("/notices/<lms_id:notice_id>/read", methods=["POST"])
@login_required
def notice_read(notice_id: int):
    if not PostForm().validate_on_submit():
        flash(_("The form expired. Please try again."), "error")
        return _back()
    notice_service.mark_read(current_app.extensions["lms"].session(), current_learner(),
                             notice_id)
    return _back()


@bp.route("/notices/read-all", methods=["POST"])
@login_required
def notices_read_all():
    if not PostForm().validate_on_submit():
        flash(_("The form expired. Please try again."), "error")
        return _back()
    notice_service.mark_all_read(current_app.extensions["lms"].session(), current_learner())
    return _back()
