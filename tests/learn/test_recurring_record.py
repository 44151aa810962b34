"""A recurring course over HTTP: the record keeps a closed round's completion, and the verify
page and certificate PDF state the round and the day the training is valid until."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import load_workbook
from sqlalchemy import select

from lms.models import Certificate, User
from lms.services import certificate_admin
from lms.services.recurrence import add_months, open_due_cycles
from lms.unit_of_work import unit_of_work
from tests.conftest import sign_in
from tests.learn.test_certificates import text_of

PASSWORD = "correct-horse-1"


def english(client) -> None:
    with client.session_transaction() as session:
        session["lms_locale"] = "en"


def certificate_of(db, user) -> Certificate:
    db.expire_all()
    return db.scalar(select(Certificate).where(Certificate.user_id == user.id))


def completed_on(db, certificate: Certificate, day: date) -> None:
    with unit_of_work(db):
        db.get(Certificate, certificate.id).completed_on = day


def test_the_record_keeps_the_closed_rounds_completion(db, client, yearly):
    course, trainee = yearly
    assert open_due_cycles(db, today=date(2026, 11, 20), notice_days=30) == 1
    sign_in(client, trainee.username, PASSWORD)
    page = client.get("/record").get_data(as_text=True)
    rounds = page.split('id="record-rounds"')[1].split("</section>")[0]
    assert course.title in rounds and "第 1 轮培训" in rounds and "2025-12-10" in rounds

    english(client)
    book = load_workbook(io.BytesIO(client.get("/record.xlsx").data))
    rows = [[cell.value for cell in row] for row in book["Courses"].iter_rows()]
    kept = [row for row in rows if row[1] == "Training cycle 1"]
    assert len(kept) == 1 and kept[0][0] == course.title
    assert kept[0][3] == datetime(2025, 12, 10)


def test_verify_states_the_round_and_validity_and_says_when_it_lapsed(app, db, yearly,
                                                                      make_user, grant):
    _, trainee = yearly
    certificate = certificate_of(db, trainee)
    until = add_months(certificate.completed_on, 12)
    anonymous = app.test_client()
    page = anonymous.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "第 1 轮培训" in page and f"{until.year}年{until.month}月{until.day}日" in page
    english(anonymous)
    page = anonymous.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "Valid until" in page and until.isoformat() in page
    assert "Past its validity date" not in page and "is valid." in page

    completed_on(db, certificate, date(2020, 1, 5))
    page = anonymous.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "2021-01-05" in page and "Past its validity date" in page
    assert ">Valid</span>" in page and "Revoked" not in page  # genuine, just lapsed

    admin, _ = make_user(unit=None)
    grant(admin, site=True)
    certificate_admin.revoke(db, db.get(User, admin.id), db.get(User, trainee.id),
                             db.get(Certificate, certificate.id), "信息有误")
    page = anonymous.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert ">Revoked</span>" in page and "Past its validity date" in page


def test_the_pdf_states_the_round_and_validity(db, client, yearly):
    _, trainee = yearly
    certificate = certificate_of(db, trainee)
    completed_on(db, certificate, date(2020, 1, 5))
    sign_in(client, trainee.username, PASSWORD)
    english(client)
    text = text_of(client.get(f"/certificates/{certificate.id}.pdf").data)
    assert "Trainingcycle1" in text and "Validuntil2021-01-05" in text
    assert "Pastitsvaliditydate" in text


def test_a_course_that_does_not_recur_shows_neither(app, db, client, make_course, login_as):
    made = make_course([{"slug": "read"}])
    user = login_as()
    client.get(made.modules[0].url)
    certificate = certificate_of(db, user)
    english(client)
    text = text_of(client.get(f"/certificates/{certificate.id}.pdf").data)
    assert "Validuntil" not in text and "Trainingcycle" not in text
    anonymous = app.test_client()
    english(anonymous)
    page = anonymous.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "is valid." in page
    assert "Valid until" not in page and "Training cycle" not in page
