"""Record every admin change in ``lms_admin_actions``, in the transaction that made it."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy.orm import Session

from lms.events import (
    Event,
    GrantChanged,
    UnitCreated,
    UnitDeactivated,
    UnitMoved,
    UnitRenamed,
)
from lms.models import AdminAction, OrgUnit
from lms.subscribers import EventHandler


class AdminAuditHandler(EventHandler):
    """An in-transaction handler, so a change is never kept without its audit row, nor an
    audit row written for a change that rolled back."""

    name: ClassVar[str] = "admin_audit"
    events: ClassVar[tuple[type[Event], ...]] = (
        UnitCreated, UnitRenamed, UnitMoved, UnitDeactivated, GrantChanged)

    def handle(self, event: Event, session: Session) -> None:
        target_kind, target_id, unit_id, before, after = self._describe(event)
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
