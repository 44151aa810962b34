"""A person's notices: the unread few on their home page, every one on a page, marking read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, bindparam, func, select, update
from sqlalchemy.orm import Session

from lms.db import fetch, utcnow
from lms.models import Course, Notice, User
from lms.services.errors import NotFound
from lms.unit_of_work import transactional


@dataclass(frozen=True)
class NoticeLine:
    #: The notice, or (on the home page) a row of the columns a line shows: id, kind,
    #: params, created_at and read_at.
    notice: Notice | Row
    course_title: str | None
    course_slug: str | None


def _lines(session: Session, query) -> list[NoticeLine]:
    return [NoticeLine(notice, title, slug) for notice, title, slug in session.execute(query)]


def _listed(user_id, *columns):
    """The person's notices, newest first, each with its course (if any): ``columns``."""
    return (select(*columns)
            .outerjoin(Course, Course.id == Notice.course_id)
            .where(Notice.user_id == user_id)
            .order_by(Notice.created_at.desc(), Notice.id.desc()))


#: Built once, with its cache key: every trainee home asks it. Plain columns, read through
#: ``fetch``: the home page only shows them.
_UNREAD_PREVIEW = (
    _listed(bindparam("user_id"), Notice.id, Notice.kind, Notice.params, Notice.created_at,
            Notice.read_at, Course.title.label("course_title"),
            Course.slug.label("course_slug"), func.count().over().label("unread"))
    .where(Notice.read_at.is_(None)).limit(bindparam("limit")))


def unread_preview(session: Session, user_id: int, limit: int = 3) -> tuple[list[NoticeLine], int]:
    """The newest unread notices and how many are unread, in one query (a window count)."""
    rows = fetch(session, _UNREAD_PREVIEW, {"user_id": user_id, "limit": limit}).all()
    return ([NoticeLine(row, row.course_title, row.course_slug) for row in rows],
            rows[0].unread if rows else 0)


def notices_page(session: Session, user_id: int, page: int, size: int
                 ) -> tuple[list[NoticeLine], int, int]:
    """One page of every notice, newest first: (lines, total, the page shown)."""
    total = session.scalar(select(func.count()).where(Notice.user_id == user_id)) or 0
    page = min(page, max(1, -(-total // size)))
    listed = _listed(user_id, Notice, Course.title, Course.slug)
    return _lines(session, listed.offset((page - 1) * size).limit(size)), total, page


@transactional
def mark_read(session: Session, user: User, notice_id: int, now: datetime | None = None) -> None:
    """Mark one of the person's own notices read; another person's is not found (404)."""
    notice = session.get(Notice, notice_id)
    if notice is None or notice.user_id != user.id:
        raise NotFound(f"no notice {notice_id}")
    if notice.read_at is None:
        notice.read_at = now or utcnow()


@transactional
def mark_all_read(session: Session, user: User, now: datetime | None = None) -> int:
    """Mark every unread notice of the person read; how many were."""
    return session.execute(
        update(Notice).where(Notice.user_id == user.id, Notice.read_at.is_(None))
        .values(read_at=now or utcnow()).execution_options(synchronize_session=False)).rowcount
