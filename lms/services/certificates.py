"""结业证书: issued once per course completion, in the transaction that earns it.

The course's rule (``course_rules(course).certificate``) decides whether a completion earns
one: ``completed`` (the default), ``final_exam`` (completed and the final exam module's quiz
passed) or ``none``. A certificate copies the holder's name, unit path, the course title and
the person's online 学时 of the course (all years) as they are at issue, so the verify page
shows what was certified then. The code is random (80 bits from an alphabet without 0/O/1/I)
and is all that ``/verify/<code>`` needs.
"""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.content.course_rules import course_rules
from lms.events import CertificateIssued
from lms.models import Certificate, Course, Enrollment, Module, User
from lms.services.course_completion import round_quarter_hours
from lms.services.org import name_path
from lms.services.progress import has_passed_quiz
from lms.unit_of_work import raise_event

#: Base32 without the look-alikes 0, O, 1 and I: a code read aloud or typed from paper.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def clean_code(text: str) -> str | None:
    """A code as typed (any case, spaces or dashes between groups), or None if it cannot be
    one: nothing else reaches the database."""
    code = "".join(text.split()).replace("-", "").upper()
    if len(code) != CODE_LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def grouped(code: str) -> str:
    """"ABCD-EFGH-JKLM-NPQR": how a code is printed, easier to read and type."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def find_by_code(session: Session, text: str) -> Certificate | None:
    code = clean_code(text)
    if code is None:
        return None
    return session.scalar(select(Certificate).where(Certificate.code == code))


def of_person(session: Session, user_id: int) -> list[Certificate]:
    """Every certificate of a person, valid or revoked, newest first."""
    return list(session.scalars(select(Certificate).where(Certificate.user_id == user_id)
                                .order_by(Certificate.issued_at.desc(), Certificate.id.desc())))


def valid_for(session: Session, user_id: int, course_id: int) -> Certificate | None:
    """The person's valid certificate of the course (of its latest cycle)."""
    return session.scalar(
        select(Certificate).where(Certificate.user_id == user_id,
                                  Certificate.course_id == course_id,
                                  Certificate.revoked_at.is_(None))
        .order_by(Certificate.cycle.desc()).limit(1))


def earns_certificate(session: Session, user: User, course: Course) -> bool:
    """Whether a completion of ``course`` by ``user`` earns a certificate under its rule."""
    rules = course_rules(course)
    if rules.certificate == "none":
        return False
    if rules.certificate == "final_exam":
        exam = session.scalar(select(Module).where(Module.course_id == course.id,
                                                   Module.slug == rules.final_exam,
                                                   Module.is_current))
        return exam is not None and has_passed_quiz(session, user, exam)
    return True


def _completed_enrollment(session: Session, user_id: int, course_id: int) -> Enrollment | None:
    """The completed enrollment, locked: two units issuing for it queue here."""
    return session.scalar(select(Enrollment).where(
        Enrollment.user_id == user_id, Enrollment.course_id == course_id,
        Enrollment.completed_at.is_not(None)).with_for_update())


def issue_if_earned(session: Session, user_id: int, course_id: int, *,
                    actor_id: int | None) -> Certificate | None:
    """Issue the certificate a completed course earns, unless the person has one for this
    cycle already (valid or revoked: a revoked one is only replaced by an admin).

    Its 学时 are the person's online 学时 of the course in this round (every year of the
    ledger for a first round; a later round's own study time and test).
    """
    enrollment = _completed_enrollment(session, user_id, course_id)
    if enrollment is None or _has_any(session, user_id, course_id, enrollment.cycle):
        return None
    user, course = session.get(User, user_id), session.get(Course, course_id)
    if user is None or course is None or not earns_certificate(session, user, course):
        return None
    quarter_hours = round_quarter_hours(session, user_id, course, enrollment)
    return issue(session, user, course, completed_on=enrollment.completed_at.astimezone().date(),
                 quarter_hours=max(0, quarter_hours), cycle=enrollment.cycle,
                 actor_id=actor_id)


def _has_any(session: Session, user_id: int, course_id: int, cycle: int) -> bool:
    return session.scalar(select(select(Certificate.id).where(
        Certificate.user_id == user_id, Certificate.course_id == course_id,
        Certificate.cycle == cycle).exists())) or False


def issue(session: Session, user: User, course: Course, *, completed_on: date,
          quarter_hours: int, cycle: int, actor_id: int | None,
          replaces: Certificate | None = None) -> Certificate:
    """Write a new certificate with the person's name and unit and the course's title as they
    are now; the caller checked that it is due. ``completed_on`` is the server's day the
    course was completed."""
    code = new_code()
    while session.scalar(select(Certificate.id).where(Certificate.code == code)) is not None:
        code = new_code()  # 2**80 codes: never in practice, but a collision must not 500
    certificate = Certificate(
        code=code, user_id=user.id, course_id=course.id, cycle=cycle,
        holder_name=user.display_name,
        unit_name=name_path(session, user.org_unit) if user.org_unit is not None else "",
        course_title=course.title, completed_on=completed_on,
        quarter_hours=quarter_hours,
        replaces_id=replaces.id if replaces is not None else None)
    session.add(certificate)
    session.flush()
    raise_event(session, CertificateIssued(
        actor_id=actor_id, user_id=user.id, course_id=course.id,
        certificate_id=certificate.id, cycle=cycle, replaces_id=certificate.replaces_id))
    return certificate
