"""Due-date reminders: "due soon" and "overdue" notices, unit admins' digests, their e-mails.

``flask lms send-reminders`` runs ``send_reminders`` from cron. Each reminder is sent once:
a notice's ``dedupe_key`` names what it is about (``due_soon:<course>:<due date>``), the
unique (user, key) makes a second insert a no-op, so runs may repeat at any rate and a changed
due date gives a new reminder. Notices are written set-based, one INSERT … SELECT … ON
CONFLICT DO NOTHING per kind in one unit of work (no statement per person); e-mails follow in
batches (``notice_mail``), each batch's ``emailed_at`` in a unit of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, String, and_, cast, exists, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lms.models import Course, Enrollment, Notice, User
from lms.services import notice_mail, reminder_digest
from lms.unit_of_work import unit_of_work

DUE_SOON = "due_soon"
OVERDUE = "overdue"


@dataclass
class ReminderCounts:
    """What one run did, for the command's summary."""

    due_soon: int = 0
    overdue: int = 0
    digests: int = 0
    emailed: int = 0
    #: Notices whose e-mail did not go out this run: tried again on the next one.
    mail_failed: int = 0


def local_day(now: datetime) -> date:
    """The server's calendar day at ``now`` (naive: already local time): due dates are days."""
    return (now.astimezone() if now.tzinfo is not None else now).date()


def as_utc(now: datetime) -> datetime:
    return now.astimezone(UTC)  # a naive ``now`` is local time, as astimezone assumes


def send_reminders(sessions: Callable[[], Session], now: datetime, *, days_before: int = 7,
                   mail: notice_mail.MailSettings | None = None,
                   progress: Callable[[int, int], None] | None = None) -> ReminderCounts:
    """Write the notices due at ``now``, then mail what waits for mail (``mail`` set).

    ``sessions`` makes a session per unit of work; ``progress(done, total)`` follows the
    e-mails. A notice whose mail failed keeps ``emailed_at`` NULL and is mailed next run.
    """
    counts = ReminderCounts()
    session = sessions()
    try:
        with unit_of_work(session):
            day, stamp = local_day(now), as_utc(now)
            counts.due_soon = _enrollment_notices(
                session, DUE_SOON, stamp, Enrollment.due_on >= day,
                Enrollment.due_on <= day + timedelta(days=days_before))
            counts.overdue = _enrollment_notices(session, OVERDUE, stamp, Enrollment.due_on < day)
            counts.digests = reminder_digest.write_digests(session, day, stamp)
    finally:
        session.close()
    if mail is not None:
        result = notice_mail.mail_pending(sessions, mail, as_utc(now), progress=progress)
        counts.emailed, counts.mail_failed = result.sent, result.failed
    return counts


def day_text(column: ColumnElement, dialect: str) -> ColumnElement[str]:
    """A date column as YYYY-MM-DD text, whatever the server's DateStyle."""
    if dialect == "postgresql":
        return func.to_char(column, "YYYY-MM-DD")
    return cast(column, String)  # SQLite keeps dates as ISO text already


def _enrollment_notices(session: Session, kind: str, stamp: datetime,
                        *window: ColumnElement[bool]) -> int:
    """One notice of ``kind`` per open assigned enrollment whose due date is in ``window``."""
    dialect = session.get_bind().dialect.name
    due = day_text(Enrollment.due_on, dialect)
    key = literal(f"{kind}:") + cast(Enrollment.course_id, String) + literal(":") + due
    params = (func.json_build_object("due_on", due) if dialect == "postgresql"
              else func.json_object("due_on", due))
    due_people = (
        select(Enrollment.user_id, literal(kind), key, Enrollment.course_id, params,
               literal(stamp, Notice.created_at.type))
        .join(User, User.id == Enrollment.user_id)
        .join(Course, Course.id == Enrollment.course_id)
        .where(Enrollment.assigned, Enrollment.completed_at.is_(None),
               Enrollment.due_on.is_not(None), *window, User.active, Course.published,
               Course.archived_at.is_(None),
               ~exists().where(and_(Notice.user_id == Enrollment.user_id,
                                    Notice.dedupe_key == key))))
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    written = session.execute(
        insert(Notice)
        .from_select(["user_id", "kind", "dedupe_key", "course_id", "params", "created_at"],
                     due_people)
        .on_conflict_do_nothing(index_elements=["user_id", "dedupe_key"])
        .returning(Notice.id))
    return len(written.all())
