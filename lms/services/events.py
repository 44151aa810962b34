"""Queue a signal on the session so it is sent only after the write transaction commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from lms.db import after_commit

EMITTER_KEY = "lms_emit"


def emit(session: Session, event: str, **payload: Any) -> None:
    emitter = session.info.get(EMITTER_KEY)
    if emitter is not None:
        after_commit(session, lambda: emitter(event, **payload))
