"""E-mail copies of notices, through the configured SMTP server, in batches.

A notice waits for mail while ``emailed_at`` is NULL, its reader has an address and has not
read it in the app, and it is at most ``RETRY_DAYS`` old: so a failed mail is tried again on
the next run, and switching SMTP on later does not mail a year of old notices.

Each batch is claimed before it is sent (``emailed_at`` set in a short unit of work of its
own, where it is still NULL), and only what this run claimed is mailed: two overlapping runs
(two cron hosts, a manual run during cron) never mail one notice twice. What the server did
not take is released (NULL again) for the next run; a crash between claim and send loses
that one e-mail copy (the notice itself stays in the app).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from flask_babel import force_locale
from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from lms.models import Course, Notice, User
from lms.notice_wording import mail_message
from lms.unit_of_work import unit_of_work

log = logging.getLogger(__name__)

RETRY_DAYS = 7
BATCH = 100
TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    user: str | None
    password: str | None
    starttls: bool
    sender: str
    locale: str

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MailSettings | None:
        """None when ``LMS_SMTP_HOST`` is unset: notices stay in the app."""
        host = config.get("LMS_SMTP_HOST")
        if not host:
            return None
        user = config.get("LMS_SMTP_USER") or None
        sender = config.get("LMS_MAIL_FROM") or (user if user and "@" in user else f"lms@{host}")
        return cls(host=host, port=int(config.get("LMS_SMTP_PORT") or 25), user=user,
                   password=config.get("LMS_SMTP_PASSWORD") or None,
                   starttls=bool(config.get("LMS_SMTP_STARTTLS")), sender=sender,
                   locale=config.get("LMS_DEFAULT_LOCALE") or "zh_CN")


@dataclass
class MailResult:
    sent: int = 0
    #: Notices still waiting for their mail after this run (the next run tries again).
    failed: int = 0


def _waiting(now: datetime) -> Select:
    return (select(Notice.id, Notice.kind, Notice.params, User.email, User.display_name,
                   Course.title, Course.slug)
            .join(User, User.id == Notice.user_id)
            .outerjoin(Course, Course.id == Notice.course_id)
            .where(Notice.emailed_at.is_(None), Notice.read_at.is_(None),
                   Notice.created_at >= now - timedelta(days=RETRY_DAYS),
                   User.active, User.email.is_not(None), User.email != ""))


def mail_pending(sessions: Callable[[], Session], settings: MailSettings, now: datetime, *,
                 progress: Callable[[int, int], None] | None = None) -> MailResult:
    """Mail every waiting notice, ``BATCH`` per SMTP connection; stop when the server fails."""
    result = MailResult()
    session = sessions()
    try:
        total = session.scalar(select(func.count()).select_from(_waiting(now).subquery())) or 0
        last_id, done, skipped = 0, 0, 0
        while done < total:
            rows = session.execute(_waiting(now).where(Notice.id > last_id)
                                   .order_by(Notice.id).limit(BATCH)).all()
            if not rows:
                break
            last_id = rows[-1].id
            with force_locale(settings.locale):
                messages = [(row.id, mail_message(
                    row.kind, row.params or {}, row.title, row.slug, sender=settings.sender,
                    to_name=row.display_name, to_address=row.email.strip())) for row in rows]
            claimed = _claim(session, [row.id for row in rows], now)
            skipped += len(rows) - len(claimed)  # another run holds them: not ours to count
            sent, reachable = [], True
            try:
                if claimed:
                    sent, reachable = _send(settings, [m for m in messages if m[0] in claimed])
            finally:
                if unsent := claimed - set(sent):
                    _release(session, sorted(unsent), now)
            result.sent += len(sent)
            done += len(rows)
            if progress is not None:
                progress(done, total)
            if not reachable:
                break
        result.failed = total - skipped - result.sent
    finally:
        session.close()
    return result


def _claim(session: Session, ids: list[int], now: datetime) -> set[int]:
    """Mark the still unmailed of ``ids`` as this run's and commit: the ids it got."""
    with unit_of_work(session):
        return set(session.scalars(
            update(Notice).where(Notice.id.in_(ids), Notice.emailed_at.is_(None),
                                 Notice.read_at.is_(None))
            .values(emailed_at=now).returning(Notice.id)
            .execution_options(synchronize_session=False)))


def _release(session: Session, ids: list[int], now: datetime) -> None:
    """Give back claimed notices whose mail did not go out, so the next run tries again."""
    with unit_of_work(session):
        session.execute(update(Notice).where(Notice.id.in_(ids), Notice.emailed_at == now)
                        .values(emailed_at=None).execution_options(synchronize_session=False))


def _send(settings: MailSettings, messages: list[tuple[int, EmailMessage]]
          ) -> tuple[list[int], bool]:
    """Send over one connection: (ids sent, whether the server stayed reachable)."""
    sent: list[int] = []
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            for notice_id, message in messages:
                try:
                    smtp.send_message(message)
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError,
                        smtplib.SMTPSenderRefused) as error:
                    log.warning("reminder mail for notice %s refused: %s", notice_id, error)
                    continue
                sent.append(notice_id)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("SMTP server %s:%s failed: %s", settings.host, settings.port, error)
        return sent, False
    return sent, True
