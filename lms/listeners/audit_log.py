"""Write every learning event to the ``lms.audit`` logger, one line of key=value each.

Study records are official; this gives operators a plain trail they can ship to their log
store without any database access.
"""

from __future__ import annotations

import logging
from typing import ClassVar

from lms.events import Event
from lms.subscribers import EventListener

log = logging.getLogger("lms.audit")


class AuditLogListener(EventListener):
    name: ClassVar[str] = "audit_log"

    def handle(self, event: Event, event_id: int) -> None:
        payload = event.payload()
        fields = " ".join(f"{key}={payload[key]}" for key in sorted(payload))
        log.info("%s event_id=%s %s", event.name, event_id, fields)
