"""A course's working copy: the files a trainer edits in the browser before publishing.

A draft holds the same files as a course folder (``course.yml`` and one Markdown file per
module), so browser edits, uploaded articles and imported zips all meet the loader that
reads ``courses/`` and publish through the same versions. Trainees never read these rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import Base, UTCDateTime, utcnow


class DraftFile(Base):
    """One file of a course's draft; ``revision`` grows with every save, so two people
    saving the same file at once find out instead of overwriting each other."""

    __tablename__ = "lms_draft_files"
    __table_args__ = (UniqueConstraint("course_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("lms_courses.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("lms_users.id", ondelete="SET NULL"))
