"""How each kind of person (``Duty``) reads, on the trainee's and the admins' pages alike."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.models import Duty

#: The kinds of person a yearly 学时 target is set for (``LMS_HOURS_TARGETS``).
DUTY_LABELS = {
    Duty.MEMBER: _l("Party member"),
    Duty.SECRETARY: _l("Branch secretary or committee member"),
    Duty.CADRE: _l("Secretary who is also a leading cadre"),
}
