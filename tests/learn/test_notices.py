"""My notices: the unread ones on the home page, all of them on /notices, marking them read."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from lms.models import Notice
from tests.conftest import csrf_token, sign_in
from tests.reminder_world import DUE, LATE, SOON, notices_of, remind

PASSWORD = "correct-horse-1"  # make_user's default


def titles(html: str) -> list[str]:
    return re.findall(r'<strong class="notice-title">([^<]+)</strong>', html)


def test_trainee_sees_reminders_newest_first_and_marks_one_read(app, client, db, reminder_world):
    remind(app, SOON)
    remind(app, LATE)
    sign_in(client, "rem-ann", PASSWORD)
    home = client.get("/").get_data(as_text=True)
    assert "2 条未读" in home and "《党章学习》已于" in home

    page = client.get("/notices").get_data(as_text=True)
    assert titles(page) == [f"《党章学习》已于 {DUE.isoformat()} 截止，尚未完成",
                            f"《党章学习》将于 {DUE.isoformat()} 截止"]
    assert f'href="/courses/{reminder_world.course.slug}"' in page
    newest, oldest = reversed(notices_of(db, reminder_world.people["ann"]))

    refused = client.post(f"/notices/{newest.id}/read", data={})  # no CSRF token
    assert refused.status_code == 303
    assert all(n.read_at is None for n in notices_of(db, reminder_world.people["ann"]))

    done = client.post(f"/notices/{newest.id}/read",
                       data={"csrf_token": csrf_token(client, "/notices")})
    assert done.status_code == 303 and done.location.endswith("/notices")
    ann = reminder_world.people["ann"]
    assert [n.read_at is not None for n in notices_of(db, ann)] == [False, True]
    page = client.get("/notices").get_data(as_text=True)
    assert page.count("标记为已读") == 2  # the remaining one, and 全部标记为已读
    assert "1 条未读" in client.get("/").get_data(as_text=True)


def test_nobody_marks_another_persons_notice(app, client, db, reminder_world):
    remind(app, SOON)
    bos, = notices_of(db, reminder_world.people["bo"])
    sign_in(client, "rem-ann", PASSWORD)
    response = client.post(f"/notices/{bos.id}/read",
                           data={"csrf_token": csrf_token(client, "/notices")})
    assert response.status_code == 404
    assert notices_of(db, reminder_world.people["bo"])[0].read_at is None


def test_empty_state_and_mark_all_read(app, client, db, reminder_world):
    sign_in(client, "rem-ann", PASSWORD)
    assert "暂无通知" in client.get("/notices").get_data(as_text=True)
    assert "没有未读通知" in client.get("/").get_data(as_text=True)
    remind(app, SOON)
    remind(app, LATE)
    client.post("/notices/read-all", data={"csrf_token": csrf_token(client, "/notices")})
    assert all(n.read_at is not None for n in notices_of(db, reminder_world.people["ann"]))
    assert "没有未读通知" in client.get("/").get_data(as_text=True)


def test_admin_reads_the_digest_with_a_link_to_the_overdue_list(app, client, db, reminder_world):
    remind(app, LATE)
    sign_in(client, "rem-admin_b1", PASSWORD)
    page = client.get("/notices").get_data(as_text=True)
    assert "《党章学习》：2 人逾期未完成" in page
    link = f"/admin/stats/{reminder_world.course.slug}/overdue"
    assert f'href="{link}"' in page
    overdue = client.get(link).get_data(as_text=True)
    assert "甲" in overdue and "丙" not in overdue


def test_the_list_pages_newest_first(app, client, db, reminder_world):
    ann = reminder_world.people["ann"]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    db.add_all(Notice(user_id=ann.id, kind="due_soon", dedupe_key=f"due_soon:{n}",
                      course_id=reminder_world.course.id, params={"due_on": f"2026-02-{n:02d}"},
                      created_at=start + timedelta(days=n)) for n in range(1, 26))
    db.commit()
    sign_in(client, "rem-ann", PASSWORD)
    first = titles(client.get("/notices").get_data(as_text=True))
    second = titles(client.get("/notices?page=2").get_data(as_text=True))
    assert (len(first), len(second)) == (20, 5)
    assert first[0].endswith("2026-02-25 截止") and second[-1].endswith("2026-02-01 截止")


def test_home_notices_cost_one_query_however_many(app, client, db, reminder_world, count_queries):
    sign_in(client, "rem-ann", PASSWORD)
    client.get("/")  # the courses' content is read once, then kept (lms.services.course_views)
    _, none = count_queries("/")
    remind(app, SOON)
    remind(app, LATE)
    page, two = count_queries("/")
    assert "2 条未读" in page.get_data(as_text=True)
    assert len(two) == len(none), two.report()
    assert two.reads_of("lms_notices") == 1
