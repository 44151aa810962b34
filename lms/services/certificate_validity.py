"""How long a certificate of a recurring course stays current.

A course with ``recur_months`` is due again that many months after its completion
(``lms.services.recurrence``), so its certificate states its round and the day it is valid
until. That validity is separate from the certificate's own status: a lapsed certificate is
still genuine (not revoked), it just no longer shows the training is current.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lms.content.course_rules import course_rules
from lms.models import Certificate
from lms.services.recurrence import add_months


@dataclass(frozen=True)
class Validity:
    cycle: int
    valid_until: date
    #: ``valid_until`` has passed: the training is due again.
    lapsed: bool


def validity_of(certificate: Certificate, today: date) -> Validity | None:
    """The round and validity of ``certificate``; None when its course does not recur."""
    months = course_rules(certificate.course).recur_months
    if not months:
        return None
    until = add_months(certificate.completed_on, months)
    return Validity(certificate.cycle, until, until < today)
