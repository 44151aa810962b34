"""Reminder e-mails through a real SMTP server on loopback: once each, retried when it was down."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

from lms.models import User
from tests.reminder_world import DUE, LATE, SOON, Inbox, SmtpServer, free_port, notices_of, remind


def give_email(db, user: User, address: str) -> None:
    db.get(User, user.id).email = address
    db.commit()


def test_a_reminder_is_mailed_once_in_chinese(app, db, reminder_world, smtp_server, monkeypatch):
    monkeypatch.setitem(app.config, "SERVER_NAME", "lms.example.org")
    give_email(db, reminder_world.people["ann"], "ann@example.org")
    smtp_server.start()
    counts = remind(app, SOON, mail=smtp_server.settings())
    smtp_server.inbox.wait_for(1)
    assert (counts.due_soon, counts.emailed, counts.mail_failed) == (4, 1, 0)
    message, = smtp_server.inbox.messages
    assert smtp_server.inbox.recipients == [["ann@example.org"]]
    assert message["Subject"] == f"【党建培训学堂】《党章学习》将于 {DUE.isoformat()} 截止"
    body = message.get_content()
    assert "甲，您好" in body and "请在截止日期前完成学习。" in body
    assert f"http://lms.example.org/courses/{reminder_world.course.slug}" in body
    notice, = notices_of(db, reminder_world.people["ann"])
    assert notice.emailed_at is not None

    again = remind(app, SOON + timedelta(hours=1), mail=smtp_server.settings())
    assert (again.emailed, len(smtp_server.inbox.messages)) == (0, 1)  # sending is synchronous


def test_smtp_down_keeps_the_notice_and_mails_it_next_run(app, db, reminder_world, smtp_server):
    give_email(db, reminder_world.people["cy"], "cy@example.org")
    down = remind(app, LATE, mail=smtp_server.settings())  # nothing listens on the port yet
    assert (down.overdue, down.emailed, down.mail_failed) == (4, 0, 1)
    notice, = notices_of(db, reminder_world.people["cy"])
    assert notice.kind == "overdue" and notice.emailed_at is None

    smtp_server.start()
    up = remind(app, LATE + timedelta(hours=1), mail=smtp_server.settings())
    smtp_server.inbox.wait_for(1)
    assert (up.overdue, up.emailed, up.mail_failed) == (0, 1, 0)
    assert "已于" in smtp_server.inbox.messages[0]["Subject"]
    notice, = notices_of(db, reminder_world.people["cy"])  # the same notice, not a second one
    assert notice.emailed_at is not None


def test_without_smtp_notices_stay_in_the_app(app, db, reminder_world, smtp_server):
    give_email(db, reminder_world.people["ann"], "ann@example.org")
    smtp_server.start()
    counts = remind(app, SOON)  # no mail settings: LMS_SMTP_HOST unset
    assert (counts.due_soon, counts.emailed) == (4, 0)
    assert smtp_server.inbox.messages == []
    notice, = notices_of(db, reminder_world.people["ann"])
    assert notice.emailed_at is None


@dataclass
class HeldInbox(Inbox):
    """Holds the first message until ``release`` is set, as a slow SMTP server would."""

    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server, session, envelope):
        if not self.holding.is_set():
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 10)
        return await super().handle_DATA(server, session, envelope)


def test_an_overlapping_run_does_not_mail_what_the_first_is_sending(app, db, reminder_world):
    give_email(db, reminder_world.people["ann"], "ann@example.org")
    give_email(db, reminder_world.people["bo"], "bo@example.org")
    server = SmtpServer(free_port(), HeldInbox())
    server.start()
    try:
        with ThreadPoolExecutor(1) as pool:
            first = pool.submit(remind, app, SOON, server.settings())
            assert server.inbox.holding.wait(10)  # the first run is sending its batch
            try:
                second = remind(app, SOON + timedelta(minutes=1), mail=server.settings())
            finally:
                server.inbox.release.set()
            first = first.result(timeout=20)
        server.inbox.wait_for(2)
    finally:
        server.stop()
    assert (second.emailed, second.mail_failed) == (0, 0)
    assert (first.emailed, first.mail_failed) == (2, 0)
    assert sorted(server.inbox.recipients) == [["ann@example.org"], ["bo@example.org"]]
