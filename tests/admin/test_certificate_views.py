"""Certificates on the person page: listed, downloaded, revoked with a reason and re-issued
by an admin of the person's unit, and by nobody else."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from lms.models import AdminAction, Certificate, User
from lms.services import catalog, progress
from tests.conftest import post_form

GB1 = "证书页党委/第一党总支"
GB2 = "证书页党委/第二党总支"
BRANCH = "证书页党委/第一党总支/第一党支部"


@pytest.fixture
def certificate(db, make_user, make_course) -> Certificate:
    """张卫红 of BRANCH completed a course and holds its certificate."""
    user, _ = make_user("trainee", unit=BRANCH, name="张卫红")
    course = catalog.get_course(db, make_course([{"slug": "read"}], title="党史学习教育").slug)
    progress.record_visit(db, db.get(User, user.id), course.modules[0])
    return db.scalar(select(Certificate).where(Certificate.user_id == user.id))


def admin_of(login_as, grant, unit: str) -> User:
    user = login_as("trainee", unit=unit, name="总支管理员")
    grant(user, unit=unit)
    return user


def person_url(certificate: Certificate) -> str:
    return f"/admin/people/{certificate.user_id}"


def revoke(client, certificate: Certificate, **fields):
    url = f"{person_url(certificate)}/certificates/{certificate.id}/revoke"
    return post_form(client, url, fields, token_from=person_url(certificate))


def valid_codes(db, user_id: int) -> list[str]:
    db.expire_all()
    return list(db.scalars(select(Certificate.code).where(Certificate.user_id == user_id,
                                                           Certificate.revoked_at.is_(None))))


def test_the_person_page_lists_the_certificate_and_its_pdf(client, login_as, grant,
                                                           certificate):
    admin_of(login_as, grant, GB1)
    page = client.get(person_url(certificate)).get_data(as_text=True)
    assert "党史学习教育" in page and f"/verify/{certificate.code}" in page
    pdf_url = f"{person_url(certificate)}/certificates/{certificate.id}.pdf"
    assert pdf_url in page
    response = client.get(pdf_url)
    assert response.status_code == 200
    text = "".join(PdfReader(io.BytesIO(response.data)).pages[0].extract_text().split())
    assert "张卫红" in text and "党史学习教育" in text


def test_revoking_needs_a_reason_and_a_tick(client, db, login_as, grant, certificate):
    admin_of(login_as, grant, GB1)
    response = revoke(client, certificate, confirm="y")
    assert response.status_code == 400
    assert "请填写撤销证书的原因" in response.get_data(as_text=True)
    assert revoke(client, certificate, reason="姓名有误").status_code == 400
    assert valid_codes(db, certificate.user_id) == [certificate.code]


def test_revoke_then_reissue_shows_on_the_verify_page(app, client, db, login_as, grant,
                                                       certificate):
    admin_of(login_as, grant, GB1)
    response = revoke(client, certificate, reason="姓名有误", confirm="y")
    assert response.status_code == 303
    assert valid_codes(db, certificate.user_id) == []
    public = app.test_client()
    assert "已撤销" in public.get(f"/verify/{certificate.code}").get_data(as_text=True)
    page = client.get(person_url(certificate)).get_data(as_text=True)
    assert "原因：姓名有误" in page and "补发新证书" in page

    response = post_form(client, f"{person_url(certificate)}/certificates/{certificate.id}"
                                 "/reissue", {}, token_from=person_url(certificate))
    assert response.status_code == 303
    [new_code] = valid_codes(db, certificate.user_id)
    assert new_code != certificate.code
    page = public.get(f"/verify/{new_code}").get_data(as_text=True)
    assert "有效" in page and "张卫红" in page
    actions = db.scalars(select(AdminAction.action).where(
        AdminAction.target_id == certificate.user_id).order_by(AdminAction.id)).all()
    assert actions[-2:] == ["certificate_revoked", "certificate_issued"]
    audit = client.get("/admin/audit").get_data(as_text=True)
    assert "撤销证书" in audit and "补发证书" in audit and new_code in audit


def test_revoke_and_reissue_in_one_step(client, db, login_as, grant, certificate):
    admin_of(login_as, grant, GB1)
    response = revoke(client, certificate, reason="单位有误", confirm="y", reissue="y")
    assert response.status_code == 303
    [new_code] = valid_codes(db, certificate.user_id)
    assert new_code != certificate.code


def test_an_admin_of_another_unit_cannot_see_or_revoke(client, db, login_as, grant,
                                                       certificate):
    admin_of(login_as, grant, GB2)
    assert client.get(person_url(certificate)).status_code == 403
    assert client.get(f"{person_url(certificate)}/certificates/{certificate.id}.pdf"
                      ).status_code == 403
    assert revoke(client, certificate, reason="越权", confirm="y").status_code == 403
    assert valid_codes(db, certificate.user_id) == [certificate.code]


def test_a_certificate_of_someone_else_is_not_found_under_this_person(client, db, login_as,
                                                                      grant, make_user,
                                                                      certificate):
    admin_of(login_as, grant, GB1)
    other, _ = make_user("trainee", unit=BRANCH)
    url = f"/admin/people/{other.id}/certificates/{certificate.id}.pdf"
    assert client.get(url).status_code == 404
