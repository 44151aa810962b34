"""Record every admin change in ``lms_admin_actions``, in the transaction that made it."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy.orm import Session

from lms.events import (
    CertificateIssued,
    CertificateRevoked,
    CompletionOverridden,
    CourseAssigned,
    CourseStatusChanged,
    CourseUnassigned,
    CourseVersionCreated,
    Event,
    GrantChanged,
    OfflineHoursChanged,
    PasswordChanged,
    PersonActivationChanged,
    PersonCreated,
    PersonMoved,
    PersonUpdated,
    UnitCreated,
    UnitDeactivated,
    UnitMoved,
    UnitRenamed,
)
from lms.models import AdminAction, Certificate, OrgUnit, User
from lms.subscribers import EventHandler

#: Changes to people; a password change is an admin action only when someone else made it.
PERSON_EVENTS = (PersonCreated, PersonUpdated, PersonMoved, PersonActivationChanged,
                 PasswordChanged, OfflineHoursChanged)


def _describe_person(event: Event,
                     session: Session) -> tuple[str, int, int | None, Any, Any] | None:
    """Like ``_describe``, filed under the person's unit (after a move: the new one)."""
    if isinstance(event, PasswordChanged) and event.actor_id == event.user_id:
        return None
    if isinstance(event, PersonCreated):
        return ("user", event.user_id, event.org_unit_id, None,
                {"username": event.username, "display_name": event.display_name,
                 "role": event.role, "org_unit_id": event.org_unit_id, "source": event.source})
    if isinstance(event, PersonMoved):
        return ("user", event.user_id, event.new_unit_id, {"org_unit_id": event.old_unit_id},
                {"org_unit_id": event.new_unit_id})
    person = session.get(User, event.user_id)
    unit_id = person.org_unit_id if person is not None else None
    if isinstance(event, PersonUpdated):
        return ("user", event.user_id, unit_id, event.before, event.after)
    if isinstance(event, PersonActivationChanged):
        return ("user", event.user_id, unit_id, {"active": not event.active},
                {"active": event.active})
    if isinstance(event, OfflineHoursChanged):
        entry = {"hours_kind": event.kind, "hours": f"{event.hours:g}", "title": event.title,
                 "held_on": event.held_on}
        return ("user", event.user_id, unit_id, entry if event.removed else None,
                None if event.removed else entry)
    assert isinstance(event, PasswordChanged)
    return ("user", event.user_id, unit_id, None, {"password": "one-time" if event.one_time
                                                   else "set"})


#: Assignments and completion overrides: filed under the assigned unit or the person's unit.
LEARNING_EVENTS = (CourseAssigned, CourseUnassigned, CompletionOverridden)


def _describe_learning(event: Event, session: Session) -> tuple[str, int, int | None, Any, Any]:
    """Like ``_describe``, for assignments (to a unit or a person) and overrides."""
    assert isinstance(event, LEARNING_EVENTS)
    unit_id = event.org_unit_id if not isinstance(event, CompletionOverridden) else None
    if unit_id is None and event.user_id is not None:
        person = session.get(User, event.user_id)
        unit_id = person.org_unit_id if person is not None else None
    if isinstance(event, CompletionOverridden):
        return ("user", event.user_id, unit_id, None,
                {"course_id": event.course_id, "module_id": event.module_id,
                 "reason": event.reason})
    target = {"course_id": event.course_id, "org_unit_id": event.org_unit_id,
              "user_id": event.user_id}
    if isinstance(event, CourseAssigned):
        return ("assignment", event.assignment_id, unit_id, None,
                {**target, "due_on": event.due_on})
    return ("assignment", event.assignment_id, unit_id, target, None)


#: Certificates revoked and re-issued by an admin (not the ones issued on completion).
CERTIFICATE_EVENTS = (CertificateRevoked, CertificateIssued)


def _describe_certificate(event: Event,
                          session: Session) -> tuple[str, int, int | None, Any, Any] | None:
    """Like ``_describe``, filed under the holder's unit; the codes name the certificates."""
    assert isinstance(event, CERTIFICATE_EVENTS)
    if isinstance(event, CertificateIssued) and event.replaces_id is None:
        return None
    person = session.get(User, event.user_id)
    unit_id = person.org_unit_id if person is not None else None
    certificate = session.get(Certificate, event.certificate_id)
    code = certificate.code if certificate is not None else None
    if isinstance(event, CertificateRevoked):
        return ("user", event.user_id, unit_id, None,
                {"course_id": event.course_id, "code": code, "reason": event.reason})
    assert event.replaces_id is not None
    old = session.get(Certificate, event.replaces_id)
    return ("user", event.user_id, unit_id,
            {"code": old.code if old is not None else None},
            {"course_id": event.course_id, "code": code})


#: A course's versions (who published which) and its status; site-wide (no unit).
COURSE_EVENTS = (CourseVersionCreated, CourseStatusChanged)


def _describe_course(event: Event) -> tuple[str, int, int | None, Any, Any]:
    """Like ``_describe``, for a published version or a course's changed status (a deleted
    course keeps its slug and title here, its row being gone)."""
    if isinstance(event, CourseVersionCreated):
        restored = event.changes.get("restored_from")
        return ("course", event.course_id, None, None,
                {"version": event.version_number,
                 **({"restored_from": restored} if restored else {})})
    assert isinstance(event, CourseStatusChanged)
    gone = ({"slug": event.course_slug, "title": event.course_title}
            if event.new_status == "deleted" else {})
    return ("course", event.course_id, None, {"status": event.old_status, **gone},
            {"status": event.new_status})


class AdminAuditHandler(EventHandler):
    """An in-transaction handler, so a change is never kept without its audit row, nor an
    audit row written for a change that rolled back."""

    name: ClassVar[str] = "admin_audit"
    events: ClassVar[tuple[type[Event], ...]] = (
        UnitCreated, UnitRenamed, UnitMoved, UnitDeactivated, GrantChanged, *PERSON_EVENTS,
        *LEARNING_EVENTS, *COURSE_EVENTS, *CERTIFICATE_EVENTS)

    def handle(self, event: Event, session: Session) -> None:
        described = (_describe_person(event, session) if isinstance(event, PERSON_EVENTS)
                     else _describe_learning(event, session)
                     if isinstance(event, LEARNING_EVENTS)
                     else _describe_course(event) if isinstance(event, COURSE_EVENTS)
                     else _describe_certificate(event, session)
                     if isinstance(event, CERTIFICATE_EVENTS)
                     else self._describe(event))
        if described is None:
            return
        target_kind, target_id, unit_id, before, after = described
        unit = session.get(OrgUnit, unit_id) if unit_id is not None else None
        session.add(AdminAction(
            actor_id=event.actor_id, action=event.name, target_kind=target_kind,
            target_id=target_id, org_unit_path=unit.path if unit is not None else None,
            before=before, after=after, occurred_at=event.occurred_at))

    @staticmethod
    def _describe(event: Event) -> tuple[str, int, int | None, Any, Any]:
        """(target kind, target id, unit whose subtree it belongs to, before, after)."""
        if isinstance(event, UnitCreated):
            return ("org_unit", event.unit_id, event.unit_id, None,
                    {"name": event.unit_name, "kind": event.kind, "parent_id": event.parent_id})
        if isinstance(event, UnitRenamed):
            return ("org_unit", event.unit_id, event.unit_id, {"name": event.old_name},
                    {"name": event.new_name})
        if isinstance(event, UnitMoved):
            return ("org_unit", event.unit_id, event.unit_id,
                    {"parent_id": event.old_parent_id, "path": event.old_path},
                    {"parent_id": event.new_parent_id, "path": event.new_path})
        if isinstance(event, UnitDeactivated):
            return ("org_unit", event.unit_id, event.unit_id, {"active": True},
                    {"active": False})
        assert isinstance(event, GrantChanged)
        grant = {"kind": event.kind, "org_unit_id": event.org_unit_id,
                 "course_id": event.course_id}
        return ("user", event.user_id, event.org_unit_id,
                None if event.granted else grant, grant if event.granted else None)
