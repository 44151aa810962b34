"""``flask lms send-reminders --now …``: what cron runs, summarised in the site's language."""

from __future__ import annotations

from lms.models import User
from tests.reminder_world import LATE, SOON, notices_of


def run(runner, when):
    return runner.invoke(args=["lms", "send-reminders", "--now",
                               when.isoformat(timespec="minutes")])


def test_the_command_reminds_once_and_says_so_in_chinese(runner, db, reminder_world):
    first = run(runner, SOON)
    assert first.exit_code == 0, first.output
    assert "即将到期 4 条，已逾期 0 条，单位管理员汇总 0 条" in first.output
    assert "未启用邮件" in first.output
    again = run(runner, SOON)
    assert "即将到期 0 条" in again.output
    late = run(runner, LATE)
    assert "已逾期 4 条，单位管理员汇总 3 条" in late.output
    assert [n.kind for n in notices_of(db, reminder_world.people["ann"])] == ["due_soon", "overdue"]


def test_the_command_mails_when_smtp_is_configured(app, runner, db, reminder_world, smtp_server,
                                                   monkeypatch):
    db.get(User, reminder_world.people["ann"].id).email = "ann@example.org"
    db.commit()
    monkeypatch.setitem(app.config, "LMS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "LMS_SMTP_PORT", smtp_server.port)
    down = run(runner, SOON)
    assert down.exit_code == 1 and "未发出、下次运行时重试 1 封" in down.output
    smtp_server.start()
    up = run(runner, SOON)
    smtp_server.inbox.wait_for(1)
    assert up.exit_code == 0 and "已发送邮件 1 封" in up.output
    assert smtp_server.inbox.messages[0]["Subject"].startswith("【党建培训学堂】《党章学习》")


def test_a_malformed_moment_is_refused(runner):
    result = runner.invoke(args=["lms", "send-reminders", "--now", "04.12.2026"])
    assert result.exit_code == 2 and "YYYY-MM-DDTHH:MM" in result.output
