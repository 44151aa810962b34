"""Admins revoke and re-issue certificates; a command backfills the ones never issued.

Revoking keeps the row (its verify page says 已撤销 and when) and needs a reason, which the
audit log keeps. Re-issuing writes a new certificate with a new code from what is true now
(a corrected name or unit), naming the revoked one it replaces; it is refused while a valid
certificate exists, so a completion never has two. Who may: an admin of the person's unit,
never of their own certificate below site admin (as with completion overrides).
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from lms.db import utcnow
from lms.events import CertificateRevoked
from lms.models import Certificate, Course, Enrollment, User
from lms.services import certificates
from lms.services.assignments import may_administer
from lms.services.errors import InvalidInput, NotFound, PermissionDenied
from lms.services.locks import lock_people, lock_person
from lms.services.permissions import Scope, scope_of
from lms.unit_of_work import raise_event, transactional, unit_of_work

REASON_MAX = 200
SLICE = 200


class CertificateRefused(InvalidInput):
    """A change the rules refuse; ``reason`` is a stable key the web layer words."""

    def __init__(self, reason: str, message: str):
        super().__init__(message, field="reason" if reason.startswith("reason") else None)
        self.reason = reason


def may_change(scope: Scope, person: User) -> bool:
    """Whether ``scope`` may revoke and re-issue ``person``'s certificates."""
    return may_administer(scope, person) and (person.id != scope.holder_id or scope.everything)


def get_certificate(session: Session, person: User, certificate_id: int) -> Certificate:
    """The person's certificate ``certificate_id`` (NotFound if it is someone else's)."""
    certificate = session.get(Certificate, certificate_id)
    if certificate is None or certificate.user_id != person.id:
        raise NotFound(f"no certificate {certificate_id} of person {person.id}")
    return certificate


def _require(session: Session, actor: User, person: User) -> None:
    if not may_change(scope_of(session, actor), person):
        raise PermissionDenied(f"not allowed to change the certificates of person {person.id}")


def _locked(session: Session, certificate: Certificate) -> Certificate:
    return session.scalars(select(Certificate).where(Certificate.id == certificate.id)
                           .with_for_update().execution_options(populate_existing=True)).one()


@transactional
def revoke(session: Session, actor: User, person: User, certificate: Certificate,
           reason: str, *, reissue: bool = False) -> Certificate | None:
    """Revoke a valid certificate; with ``reissue``, issue its replacement in the same unit
    (returned)."""
    _require(session, actor, person)
    reason = (reason or "").strip()
    if not reason:
        raise CertificateRefused("reason_required", "revoking needs a reason")
    if len(reason) > REASON_MAX:
        raise CertificateRefused("reason_too_long", f"at most {REASON_MAX} characters")
    lock_person(session, person.id)
    certificate = _locked(session, certificate)
    if certificate.revoked_at is not None:
        raise CertificateRefused("already_revoked", "the certificate is revoked already")
    certificate.revoked_at = utcnow()
    certificate.revoked_by_id = actor.id
    certificate.revoke_reason = reason
    session.flush()
    raise_event(session, CertificateRevoked(
        actor_id=actor.id, user_id=person.id, course_id=certificate.course_id,
        certificate_id=certificate.id, reason=reason))
    return reissue_certificate(session, actor, person, certificate) if reissue else None


@transactional
def reissue_certificate(session: Session, actor: User, person: User,
                        certificate: Certificate) -> Certificate:
    """A new certificate in place of a revoked one, with a new code, the holder's name and
    unit as they are now, and the completion's date and 学时 as certified before."""
    _require(session, actor, person)
    lock_person(session, person.id)
    certificate = _locked(session, certificate)
    if certificate.revoked_at is None:
        raise CertificateRefused("not_revoked", "revoke the certificate before re-issuing it")
    valid = session.scalar(select(Certificate.id).where(
        Certificate.user_id == person.id, Certificate.course_id == certificate.course_id,
        Certificate.cycle == certificate.cycle, Certificate.revoked_at.is_(None)))
    if valid is not None:
        raise CertificateRefused("has_valid", "a valid certificate of this course exists")
    course = session.get(Course, certificate.course_id)
    assert course is not None  # the certificate's foreign key cascades
    return certificates.issue(session, person, course, completed_on=certificate.completed_on,
                              quarter_hours=certificate.quarter_hours, cycle=certificate.cycle,
                              actor_id=actor.id, replaces=certificate)


def completions_without_certificate(session: Session) -> list[tuple[int, int]]:
    """(user id, course id) of every completed course (its current cycle) with no
    certificate at all."""
    none_yet = ~select(Certificate.id).where(and_(
        Certificate.user_id == Enrollment.user_id,
        Certificate.course_id == Enrollment.course_id,
        Certificate.cycle == Enrollment.cycle)).exists()
    rows = [(u, c) for u, c in session.execute(
        select(Enrollment.user_id, Enrollment.course_id)
        .where(Enrollment.completed_at.is_not(None), none_yet)
        .order_by(Enrollment.id))]
    session.commit()  # end the read; each slice written is its own unit of work
    return rows


def issue_missing(session: Session, completions: list[tuple[int, int]]
                  ) -> Iterator[tuple[int, int]]:
    """Issue what each completion earns under its course's rule, slice by slice; yield
    (completions looked at, certificates issued) per slice."""
    for start in range(0, len(completions), SLICE):
        chunk = completions[start:start + SLICE]
        with unit_of_work(session):
            lock_people(session, (user_id for user_id, _course_id in chunk))
            issued = sum(certificates.issue_if_earned(session, user_id, course_id,
                                                      actor_id=None) is not None
                         for user_id, course_id in chunk)
        yield len(chunk), issued
