"""After a load run: is everything the server acknowledged in the database?

Each trainee's ledger (bench.load_clients) is compared with the rows: every credited beat is
a ``StudyBeat`` with the same credit, every module's ``seconds_active`` is at least the last
total the trainee was told, every saved draft is at least as recent as its acknowledgement,
and every acknowledged submission is a submitted attempt of that trainee.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bench.load_clients import Trainee
from lms.models import AttemptStatus, Course, Module, ModuleProgress, QuizAttempt, StudyBeat, User


def missing_acknowledged(url: str, course: str, trainees: list[Trainee]) -> tuple[list[str], dict]:
    """Return (what is missing, how many acknowledgements of each kind were checked)."""
    engine = create_engine(url)
    missing: list[str] = []
    checked = {"beats": 0, "seconds": 0, "drafts": 0, "submissions": 0}
    with Session(engine) as session:
        modules = dict(session.execute(
            select(Module.slug, Module.id).join(Course, Module.course_id == Course.id)
            .where(Course.slug == course, Module.is_current)).all())
        users = dict(session.execute(select(User.username, User.id)).all())
        for trainee in trainees:
            user_id, ledger = users[trainee.username], trainee.ledger
            beats = {(tab, seq): credited for tab, seq, credited in session.execute(
                select(StudyBeat.tab, StudyBeat.seq, StudyBeat.credited)
                .where(StudyBeat.user_id == user_id))}
            for module, tab, seq, credited in ledger.beats:
                checked["beats"] += 1
                if beats.get((tab, seq)) != credited:
                    missing.append(f"{trainee.username} beat {tab}#{seq} ({module}, {credited} s)")
            seconds = dict(session.execute(
                select(ModuleProgress.module_id, ModuleProgress.seconds_active)
                .where(ModuleProgress.user_id == user_id)).all())
            for module, told in ledger.seconds.items():
                checked["seconds"] += 1
                if seconds.get(modules[module], 0) < told:
                    missing.append(f"{trainee.username} {module}: told {told} s, "
                                   f"stored {seconds.get(modules[module])}")
            attempts = {a.id: a for a in session.scalars(
                select(QuizAttempt).where(QuizAttempt.user_id == user_id))}
            for attempt_id, saved_at in ledger.drafts.items():
                checked["drafts"] += 1
                stored = attempts.get(attempt_id)
                if (stored is None or stored.draft_saved_at is None
                        or stored.draft_saved_at < datetime.fromisoformat(saved_at)):
                    missing.append(f"{trainee.username} draft of attempt {attempt_id}")
            for attempt_id in ledger.submitted:
                checked["submissions"] += 1
                stored = attempts.get(attempt_id)
                if stored is None or stored.status is AttemptStatus.IN_PROGRESS:
                    missing.append(f"{trainee.username} submission of attempt {attempt_id}")
    engine.dispose()
    return missing, checked
