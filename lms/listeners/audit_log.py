"""Write every learning event to the ``lms.audit`` logger, one line of key=value each.

Study records are official; this gives operators a plain trail they can ship to their log
store without any database access.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("lms.audit")


class AuditLogListener:
    def connect(self, signals: Any) -> None:
        for name in ("course_enrolled", "module_completed", "course_completed", "quiz_submitted"):
            signal = getattr(signals, name)
            signal.connect(self._make_receiver(name), weak=False)

    @staticmethod
    def _make_receiver(name: str):
        def receive(_sender: Any, **payload: Any) -> None:
            fields = " ".join(f"{key}={payload[key]}" for key in sorted(payload))
            log.info("%s %s", name, fields)

        return receive
