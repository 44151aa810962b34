"""Import batches: a validated upload waiting for its one-use confirm."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import Base, UTCDateTime, utcnow

#: A preview older than this can no longer be confirmed, and its passwords are wiped.
BATCH_LIFETIME = timedelta(hours=1)


class ImportBatch(Base):
    """The normalised rows of one clean upload, between preview and confirm.

    The confirm form carries a random token; only its SHA-256 is stored, so reading the
    table does not let anyone confirm someone else's import. ``confirmed_at`` is set by a
    conditional UPDATE in the same transaction as the import, so a replayed or concurrent
    confirm imports nothing. ``passwords`` holds new people's one-time passwords until
    the first download (or expiry) sets it back to NULL.
    """

    __tablename__ = "lms_import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # people | overrides
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("lms_users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    passwords: Mapped[list[dict[str, str]] | None] = mapped_column(JSON(none_as_null=True))

    @property
    def expires_at(self) -> datetime:
        return self.created_at + BATCH_LIFETIME

    @property
    def passwords_expire_at(self) -> datetime | None:
        """An hour from the confirm (not the preview) to download the passwords sheet."""
        return self.confirmed_at + BATCH_LIFETIME if self.confirmed_at is not None else None
