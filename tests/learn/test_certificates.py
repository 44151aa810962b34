"""A trainee's certificate over HTTP: shown once the course is complete, downloaded as a PDF
whose text names them and the course, checked by anyone on the public verify page."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from lms.models import Certificate, Course, User
from lms.services import catalog, certificate_admin, certificates
from lms.services.pdf import PdfUnavailable
from lms.unit_of_work import unit_of_work
from tests.conftest import sign_in

UNIT = "验证党委/第一党总支/第一党支部"


@pytest.fixture
def completed(client, db, make_course, login_as):
    """王建国 completed a one-module course; returns (user, course slug, certificate)."""
    made = make_course([{"slug": "read"}], title="新时代党的组织路线")
    user = login_as(unit=UNIT, name="王建国")
    assert client.get(made.modules[0].url).status_code == 200
    certificate = db.scalar(select(Certificate).where(Certificate.user_id == user.id))
    assert certificate is not None
    return user, made.slug, certificate


def text_of(pdf: bytes) -> str:
    """The PDF's text without whitespace (a title may wrap, a heading is letter-spaced)."""
    return "".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
                   .split())


def test_the_course_page_and_my_certificates_offer_the_pdf(client, completed):
    _, slug, certificate = completed
    course = client.get(f"/courses/{slug}").get_data(as_text=True)
    pdf_url = f"/certificates/{certificate.id}.pdf"
    assert pdf_url in course and f"/verify/{certificate.code}" in course
    mine = client.get("/certificates").get_data(as_text=True)
    assert "新时代党的组织路线" in mine and pdf_url in mine
    assert certificates.grouped(certificate.code) in mine
    assert 'href="/certificates"' in client.get("/").get_data(as_text=True)


def test_the_pdf_names_the_holder_and_the_course(client, completed):
    _, _, certificate = completed
    response = client.get(f"/certificates/{certificate.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    text = text_of(response.data)
    assert "王建国" in text and "新时代党的组织路线" in text
    assert "结业证书" in text and certificates.grouped(certificate.code) in text
    assert f"/verify/{certificate.code}" in text


def test_the_verify_page_shows_the_certificate_to_anyone(app, client, completed):
    _, _, certificate = completed
    anonymous = app.test_client()
    response = anonymous.get(f"/verify/{certificate.code}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "王建国" in page and "新时代党的组织路线" in page and UNIT in page
    assert "有效" in page and "已撤销" not in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    # Typed from paper: lower case, the printed dashes, spaces around it.
    typed = certificates.grouped(certificate.code).lower()
    assert anonymous.get(f"/verify/%20{typed}%20").status_code == 200


def test_a_revoked_certificate_says_so_and_has_no_pdf(app, client, db, completed, make_user,
                                                      grant):
    user, _, certificate = completed
    admin, _ = make_user(unit=None)
    grant(admin, site=True)
    certificate_admin.revoke(db, db.get(User, admin.id), db.get(User, user.id),
                             db.get(Certificate, certificate.id), "信息有误")
    page = app.test_client().get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "已撤销" in page and "不再有效" in page and "信息有误" not in page
    assert client.get(f"/certificates/{certificate.id}.pdf").status_code == 404


def test_an_unknown_code_is_a_404_in_the_ui_language(app):
    response = app.test_client().get("/verify/ABCDEFGHJKLMNPQR")
    assert response.status_code == 404
    assert "没有与此验证码对应的证书" in response.get_data(as_text=True)


def test_another_trainee_cannot_download_it(app, client, completed, make_user):
    _, _, certificate = completed
    other, password = make_user(unit=UNIT)
    stranger = app.test_client()
    sign_in(stranger, other.username, password)
    assert stranger.get(f"/certificates/{certificate.id}.pdf").status_code == 404
    assert certificates.grouped(certificate.code) not in stranger.get(
        "/certificates").get_data(as_text=True)


def test_no_pdf_engine_is_a_clear_503(client, completed, monkeypatch):
    _, _, certificate = completed

    def unavailable(html: str) -> bytes:
        raise PdfUnavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr("lms.public.certificate_pdf.render_pdf", unavailable)
    response = client.get(f"/certificates/{certificate.id}.pdf")
    assert response.status_code == 503
    assert "PDF" in response.get_data(as_text=True)


def test_a_completion_under_rule_none_shows_no_certificate(client, db, make_course, login_as):
    made = make_course([{"slug": "read"}])
    course = catalog.get_course(db, made.slug)
    with unit_of_work(db):
        db.get(Course, course.id).rules = {"certificate": "none"}
    login_as(unit=UNIT)
    client.get(made.modules[0].url)
    page = client.get(made.url).get_data(as_text=True)
    assert "课程已完成" in page and "/certificates/" not in page
