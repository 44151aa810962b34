"""我的学习档案 over HTTP: one's own record, an admin's view within scope, the PDF and XLSX."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from lms.models import Certificate, Course, User
from lms.services import catalog, quizzes
from lms.services.hours_entries import record_offline
from lms.services.pdf import PdfUnavailable
from tests.conftest import post_form, sign_in

BRANCH = "档案党委/第一党总支/第一党支部"
OTHER = "档案党委/第二党总支"
QUIZ = [{"type": "true_false", "prompt": "党员应当按期交纳党费。", "answer": "正确"}]
HELD = date(2025, 6, 1)


@pytest.fixture
def trainee(app, db, make_user, make_course):
    """王学习 of BRANCH, who passed a quiz and has a central training entry titled "=1+1"."""
    made = make_course([{"slug": "quiz", "questions": QUIZ}], title="党章学习专题")
    user, password = make_user(unit=BRANCH, name="王学习", username="record.wang")
    person = db.get(User, user.id)
    _, module = catalog.get_course_and_module(db, made.slug, "quiz")
    registry = app.extensions["lms"].question_types
    attempt = quizzes.start_or_resume(db, registry, person, module)
    quizzes.submit_attempt(db, registry, person, attempt.id, {"q1": "true"})
    admin, _ = make_user("admin", unit=BRANCH)
    record_offline(db, db.get(User, admin.id), person, "central", "1.5", "=1+1", HELD)
    return user, password


def signed_in(client, make_user, grant=None, *, unit: str = BRANCH, admin_of: str | None = None,
              name: str = "别人"):
    user, password = make_user(unit=unit, name=name)
    if admin_of is not None:
        grant(user, unit=admin_of)
    assert sign_in(client, user.username, password).status_code == 302
    return user


def english(client) -> None:
    post_form(client, "/locale", {"locale": "en", "next": "/"}, token_from="/")


def test_a_trainee_reads_her_own_record_and_downloads_it(db, client, trainee):
    user, password = trainee
    course_id = db.scalar(select(Course.id).where(Course.title == "党章学习专题"))
    db.add(Certificate(code="RECRDTESTCODE234", user_id=user.id, course_id=course_id, cycle=99,
                       holder_name="王学习", course_title="党章学习专题", completed_on=HELD))
    db.commit()
    sign_in(client, user.username, password)
    page = client.get("/record")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "王学习" in text and "党章学习专题" in text and "=1+1" in text
    assert 'href="/verify/RECRDTESTCODE234">RECR-DTES-TCOD-E234</a>' in text
    assert 'href="/record.pdf"' in text and 'href="/record.xlsx"' in text
    assert 'href="/record"' in client.get("/").get_data(as_text=True)  # linked from home

    pdf = client.get("/record.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Cache-Control"] == "no-store"
    extracted = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "王学习" in extracted and "党章学习专题" in extracted


def test_the_workbook_has_its_three_sheets_and_stores_formulas_as_text(client, trainee):
    user, password = trainee
    sign_in(client, user.username, password)
    english(client)
    response = client.get("/record.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Courses", "Study hours", "Certificates"]
    courses = [[cell.value for cell in row] for row in book["Courses"].iter_rows()]
    assert courses[0][:5] == ["Course", "Enrolled on", "Completed on", "Due date", "Status"]
    assert [(row[0], row[4]) for row in courses[1:]] == [("党章学习专题", "Completed")]
    hours = list(book["Study hours"].iter_rows())
    session = next(row for row in hours if row[0].value == "'=1+1")
    assert session[0].data_type == "s"  # text, never a formula Excel would run
    assert (session[1].value.date(), session[2].value, session[3].value) == (
        HELD, "Central training", 1.5)
    assert next(row for row in hours if row[0].value == 2025)[2].value == 1.5
    assert [cell.value for cell in next(book["Certificates"].iter_rows())][0] == "Certificate code"


def test_a_trainee_never_reaches_someone_elses_record(client, make_user, trainee):
    signed_in(client, make_user, unit=BRANCH, name="同支部学员")
    own = client.get("/record").get_data(as_text=True)
    assert "同支部学员" in own and "王学习" not in own and "党章学习专题" not in own
    for suffix in ("", ".pdf", ".xlsx"):
        assert client.get(f"/admin/people/{trainee[0].id}/record{suffix}").status_code == 403


def test_an_admin_of_another_unit_is_refused(client, make_user, grant, trainee):
    signed_in(client, make_user, grant, unit=OTHER, admin_of=OTHER)
    for suffix in ("", ".pdf", ".xlsx"):
        assert client.get(f"/admin/people/{trainee[0].id}/record{suffix}").status_code == 403


def test_an_admin_in_scope_opens_and_downloads_the_record(client, make_user, grant, trainee):
    signed_in(client, make_user, grant, unit=OTHER, admin_of="档案党委/第一党总支")
    person = client.get(f"/admin/people/{trainee[0].id}").get_data(as_text=True)
    url = f"/admin/people/{trainee[0].id}/record"
    assert f'href="{url}"' in person and f'href="{url}.pdf"' in person
    page = client.get(url).get_data(as_text=True)
    assert "王学习" in page and "党章学习专题" in page and f'href="{url}.xlsx"' in page
    pdf = client.get(f"{url}.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "王学习" in text and "党章学习专题" in text
    assert client.get(f"{url}.xlsx").status_code == 200


def test_without_a_pdf_engine_the_download_says_so(client, make_user, monkeypatch):
    def missing(html):
        raise PdfUnavailable("no pango")

    monkeypatch.setattr("lms.learning_record_web.render_pdf", missing)
    signed_in(client, make_user)
    english(client)
    response = client.get("/record.pdf")
    assert response.status_code == 503
    assert "This server cannot make PDF files" in response.get_data(as_text=True)


def test_someone_new_sees_an_empty_record(client, make_user):
    signed_in(client, make_user, name="新同志")
    english(client)
    text = client.get("/record").get_data(as_text=True)
    assert "Nothing is recorded yet." in text and "<table" not in text
    assert client.get("/record.pdf").status_code == 200
