"""A small 党委 with one assigned course and a due date, and an SMTP server on loopback.

提醒党委 (the course is assigned to the whole tree, due in 10 days)
├── 第一党支部    甲 (ann), 乙 (bo)              admin by grant: 机关党委/办公室's 管甲
└── 第二党支部    丙 (cy), 管乙 (role admin of this branch, so assigned too)
机关党委/办公室  管甲 (not assigned); 总管 has no unit and a site admin grant.

Clocks are passed in: ``SOON`` is 5 days before the due date, ``LATE`` a day after it.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from lms.models import Course, Notice, Role, User
from lms.services import assignments, catalog
from lms.services.notice_mail import MailSettings
from lms.services.org import find_unit
from lms.services.reminders import ReminderCounts, send_reminders

ROOT = "提醒党委"
B1 = f"{ROOT}/第一党支部"
B2 = f"{ROOT}/第二党支部"
OFFICE = "机关党委/办公室"
DUE = date.today() + timedelta(days=10)
SOON = datetime.combine(DUE - timedelta(days=5), time(8))
LATE = datetime.combine(DUE + timedelta(days=1), time(8))


@dataclass
class World:
    course: Course
    people: dict[str, User]
    site_admin: User


@pytest.fixture
def reminder_world(db, make_user, make_course, grant) -> World:
    made = {key: make_user(role, unit=unit, name=name, username=f"rem-{key}")[0]
            for key, role, unit, name in (
                ("ann", Role.TRAINEE, B1, "甲"), ("bo", Role.TRAINEE, B1, "乙"),
                ("cy", Role.TRAINEE, B2, "丙"), ("admin_b2", Role.ADMIN, B2, "管乙"),
                ("admin_b1", Role.TRAINEE, OFFICE, "管甲"))}
    boss, _ = make_user(Role.TRAINEE, unit=None, name="总管", username="rem-boss")
    grant(boss, site=True)
    grant(made["admin_b1"], unit=B1)
    course = catalog.get_course(db, make_course([{"slug": "one"}], title="党章学习").slug)
    site_admin = db.get(User, boss.id)
    assignments.assign_course(db, site_admin, course, unit=find_unit(db, ROOT), due_on=DUE)
    return World(course, {key: db.get(User, user.id) for key, user in made.items()}, site_admin)


def remind(app, now: datetime, mail: MailSettings | None = None) -> ReminderCounts:
    """One run of the reminder job, as the command runs it."""
    state = app.extensions["lms"]
    with app.app_context():
        return send_reminders(state.sessionmaker, now, days_before=7, mail=mail)


def notices_of(db, user: User) -> list[Notice]:
    db.expire_all()
    return list(db.scalars(select(Notice).where(Notice.user_id == user.id)
                           .order_by(Notice.id)))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Inbox:
    """Collects what the SMTP server receives; tests wait on the condition, never sleep."""

    messages: list[email.message.EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.arrived:
            self.messages.append(message)
            self.recipients.append(list(envelope.rcpt_tos))
            self.arrived.notify_all()
        return "250 Message accepted"

    def wait_for(self, count: int, timeout: float = 10) -> None:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.messages) >= count, timeout), \
                f"{len(self.messages)} of {count} messages arrived"


@dataclass
class SmtpServer:
    port: int
    inbox: Inbox
    controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def settings(self) -> MailSettings:
        return MailSettings(host="127.0.0.1", port=self.port, user=None, password=None,
                            starttls=False, sender="lms@example.org", locale="zh_CN")


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free loopback port, not started yet."""
    server = SmtpServer(free_port(), Inbox())
    try:
        yield server
    finally:
        server.stop()
