"""In-app notices (and their e-mails): due-date reminders, overdue notes, unit digests.

``dedupe_key`` names what a notice is about (kind, course, due date, ...) per person, so the
reminder job can run every hour and each reminder is still sent once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import Base, UTCDateTime, utcnow


class Notice(Base):
    __tablename__ = "lms_notices"
    __table_args__ = (
        UniqueConstraint("user_id", "dedupe_key"),
        Index("ix_lms_notices_user_unread", "user_id", "read_at", "created_at"),
        # The mail job's batches: unread, unmailed notices of the last days, oldest first.
        Index("ix_lms_notices_unmailed", "created_at",
              sqlite_where=text("emailed_at IS NULL AND read_at IS NULL"),
              postgresql_where=text("emailed_at IS NULL AND read_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_users.id", ondelete="CASCADE"))
    #: "due_soon", "overdue", "unit_digest", ... (the template says it in the reader's language).
    kind: Mapped[str] = mapped_column(String(30))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("lms_courses.id", ondelete="CASCADE"))
    #: What the wording needs: course title, due date, counts, a link.
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the e-mail copy went out; None when no mail was sent (no SMTP, or no address).
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
