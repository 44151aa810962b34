"""Active study time: the heartbeats a module page sends while a trainee studies.

Each accepted beat is kept with the seconds it credited, so 学时 can be derived again from
the record (``hours recompute``) and an auditor can see where every minute came from.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import Base, UTCDateTime


class StudyClock(Base):
    """One row per person: the last accepted beat, whichever tab or device sent it. Beats
    lock it, so two tabs never credit the same seconds twice."""

    __tablename__ = "lms_study_clocks"

    user_id: Mapped[int] = mapped_column(ForeignKey("lms_users.id", ondelete="CASCADE"),
                                         primary_key=True)
    module_id: Mapped[int | None] = mapped_column(
        ForeignKey("lms_modules.id", ondelete="SET NULL"))
    last_beat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Milliseconds of the last gap not yet credited (credit is in whole seconds), so 30 s
    #: beats that arrive 30.6 s apart are not short of 0.6 s each time.
    carry_ms: Mapped[int] = mapped_column(default=0)


class StudyBeat(Base):
    """One accepted heartbeat. ``tab`` is a random id the page draws when it opens and
    ``seq`` counts its beats, so a repeated or late beat is recognised and credits nothing."""

    __tablename__ = "lms_study_beats"
    __table_args__ = (
        UniqueConstraint("user_id", "tab", "seq"),
        Index("ix_lms_study_beats_user_time", "user_id", "received_at"),
        Index("ix_lms_study_beats_module", "module_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_users.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("lms_modules.id", ondelete="CASCADE"))
    tab: Mapped[str] = mapped_column(String(32))
    seq: Mapped[int]
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    credited: Mapped[int]  # seconds of active study this beat added to its module
