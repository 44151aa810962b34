"""Events the library sends, always after the transaction that caused them commits.

Listeners connect through ``connect(signals)``; ``send`` isolates them so a failing listener
is logged and never breaks the trainee's request.
"""

from __future__ import annotations

import logging
from typing import Any

from blinker import Namespace, Signal

log = logging.getLogger(__name__)


class LmsSignals:
    """One set of signals per app, so two apps in one process never hear each other."""

    def __init__(self) -> None:
        space = Namespace()
        #: sender: app; user_id, course_id
        self.course_enrolled: Signal = space.signal("course-enrolled")
        #: sender: app; user_id, module_id, course_id
        self.module_completed: Signal = space.signal("module-completed")
        #: sender: app; user_id, course_id
        self.course_completed: Signal = space.signal("course-completed")
        #: sender: app; user_id, module_id, attempt_id, score, passed
        self.quiz_submitted: Signal = space.signal("quiz-submitted")

    def send(self, signal: Signal, sender: Any, **payload: Any) -> None:
        for receiver in signal.receivers_for(sender):
            try:
                receiver(sender, **payload)
            except Exception:  # a listener's failure must never reach the trainee
                log.exception("listener %r failed on %s", receiver, signal.name)
