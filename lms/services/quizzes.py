"""Quizzes: starting an attempt, saving answers as they are given, grading on the server.

An attempt is pinned at start to a snapshot of exactly what is asked (drawn, shuffled, with
the key in shown order), so later edits to the question bank never change its grade. All
grading happens here; the browser only ever sees ``public_spec``.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, bindparam, case, func, select
from sqlalchemy.orm import Session

from lms.db import fetch, row_id, utcnow
from lms.events import AttemptGraded, AttemptSubmitted
from lms.models import AttemptStatus, Module, QuizAttempt, User
from lms.plugins import QuestionTypeRegistry
from lms.quiz_settings import QuizSettings
from lms.services.course_views import module_row
from lms.services.cycles import current_cycle, in_current_cycle
from lms.services.errors import DomainError, InvalidInput, NotFound, Unanswered
from lms.services.progress import (
    lock_progress,
    module_pass_mark,
    record_quiz_result,
    record_visit,
)
from lms.unit_of_work import raise_event, transactional

#: Network slack after a time limit; answers saved later than this are not counted.
DEFAULT_GRACE = timedelta(seconds=30)
MAX_VALUES_PER_QUESTION = 20
MAX_VALUE_LENGTH = 5000


class NoAttemptsLeft(DomainError):
    status = 403


class AttemptClosed(DomainError):
    """The attempt was already submitted, or its time is up."""

    status = 409


@dataclass(frozen=True)
class ShownQuestion:
    """A question as rendered before submission: the public spec only."""

    number: int
    field: str
    template: str
    label: str
    public: dict[str, Any]


def settings_of(module: Module) -> QuizSettings:
    return QuizSettings.from_json(module.quiz_settings)


def questions_to_show(registry: QuestionTypeRegistry, attempt: QuizAttempt) -> list[ShownQuestion]:
    shown = []
    for number, spec in enumerate(attempt.questions, start=1):
        question_type = registry[spec["type"]]
        shown.append(ShownQuestion(number=number, field=f"q{number}",
                                   template=question_type.template,
                                   label=str(question_type.label),
                                   public=question_type.public_spec(spec)))
    return shown


def _attempts_used(session: Session, user: User, module: Module) -> int:
    """Attempts of the person's current cycle (a new cycle gives the attempts back)."""
    return session.scalar(select(func.count()).select_from(QuizAttempt).where(
        in_current_cycle(user.id, module))) or 0


def _attempt_counts(session: Session, user: User, module: Module) -> tuple[int, int, int]:
    """(attempts used in the current cycle, the last attempt number, the current cycle) in
    one query: attempts are numbered on across cycles (the number is unique per person and
    module), and a new cycle gives the attempts back."""
    cycle = current_cycle(user.id, module.course_id)
    used, last, current = session.execute(
        select(func.count(case((QuizAttempt.cycle == cycle, 1))),
               func.coalesce(func.max(QuizAttempt.number), 0), cycle)
        .where(QuizAttempt.user_id == user.id, QuizAttempt.module_id == module.id)).one()
    return used, last, current


def attempts_left(session: Session, user: User, module: Module) -> int | None:
    """None means unlimited."""
    allowed = settings_of(module).attempts
    return None if allowed is None else max(0, allowed - _attempts_used(session, user, module))


def open_attempt(session: Session, user: User, module: Module) -> QuizAttempt | None:
    return session.scalar(select(QuizAttempt).where(
        QuizAttempt.user_id == user.id, QuizAttempt.module_id == module.id,
        QuizAttempt.status == AttemptStatus.IN_PROGRESS,
    ).order_by(QuizAttempt.number.desc()).limit(1))


def start_or_resume(session: Session, registry: QuestionTypeRegistry, user: User,
                    module: Module, *, now: datetime | None = None,
                    grace: timedelta = DEFAULT_GRACE, rng: random.Random | None = None,
                    ) -> QuizAttempt:
    """Return the trainee's open attempt, or start a new one if attempts remain.

    Resuming an open attempt in time only reads (a reload writes nothing). An open attempt
    whose time ran out is first submitted with what was saved in time; if it was the last
    attempt allowed, that graded attempt is returned (status not in progress) so the late
    grade is kept, instead of raising and rolling it back.
    """
    now = now or utcnow()
    current = open_attempt(session, user, module)
    if current is not None and not _past_deadline(current, now, grace):
        return current
    return _start_or_close(session, registry, user, module, now=now, grace=grace, rng=rng)


@transactional
def _start_or_close(session: Session, registry: QuestionTypeRegistry, user: User,
                    module: Module, *, now: datetime, grace: timedelta,
                    rng: random.Random | None) -> QuizAttempt:
    module = module_row(session, module)
    if not module.questions:
        raise NotFound("this module has no quiz")
    lock_progress(session, user, module)
    current = open_attempt(session, user, module)
    if current is not None:
        if not _past_deadline(current, now, grace):
            return current
        _grade(session, registry, user, module, current, dict(current.draft), now, late=True)
    settings = settings_of(module)
    used, last_number, cycle = _attempt_counts(session, user, module)
    if settings.attempts is not None and used >= settings.attempts:
        if current is not None:
            return current
        raise NoAttemptsLeft(f"all {settings.attempts} attempts used")
    snapshot = snapshot_questions(registry, module, settings,
                                  rng or random.Random(secrets.randbits(64)))
    record_visit(session, user, module)
    attempt = QuizAttempt(
        user_id=user.id, module_id=module.id, course_version_id=module.course.version_id,
        number=last_number + 1, cycle=cycle, status=AttemptStatus.IN_PROGRESS, questions=snapshot,
        settings=settings.to_json(), draft={}, pass_mark=module_pass_mark(module), started_at=now,
        deadline_at=now + timedelta(minutes=settings.time_limit) if settings.time_limit else None,
    )
    session.add(attempt)
    session.flush()
    return attempt


def snapshot_questions(registry: QuestionTypeRegistry, module: Module, settings: QuizSettings,
                       rng: random.Random) -> list[dict[str, Any]]:
    """What a new attempt pins: the questions drawn and shuffled as the settings say, each
    with its key in the order shown. Also used by the demo data, so its attempts are real."""
    questions = list(module.questions)
    if settings.draw and settings.draw < len(questions):
        picked = set(rng.sample(range(len(questions)), settings.draw))
        questions = [q for i, q in enumerate(questions) if i in picked]
    if settings.shuffle_questions:
        rng.shuffle(questions)
    snapshot = []
    for question in questions:
        question_type = registry[question.type]
        spec = question.spec()
        if settings.shuffle_options or question_type.always_shuffle:
            spec = question_type.shuffle(spec, rng)
        spec = question_type.apply_quiz_settings(spec, settings)
        snapshot.append(spec)
    return snapshot


def _past_deadline(attempt: QuizAttempt | Row, now: datetime, grace: timedelta) -> bool:
    """Past the attempt's time limit and its grace; ``attempt`` may be the row an autosave
    reads, which has the attempt's ``deadline_at``."""
    return attempt.deadline_at is not None and now > attempt.deadline_at + grace


def _clean_values(question_count: int, values: dict[str, Any]) -> dict[str, list[str]]:
    """Keep only the attempt's fields (q1 … q<question_count>), as lists of bounded strings."""
    cleaned: dict[str, list[str]] = {}
    for number in range(1, question_count + 1):
        raw = values.get(f"q{number}", [])
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or len(raw) > MAX_VALUES_PER_QUESTION or not all(
                isinstance(v, str) and len(v) <= MAX_VALUE_LENGTH for v in raw):
            raise InvalidInput(f"answer to question {number} is not valid", field=f"q{number}")
        cleaned[f"q{number}"] = raw
    return cleaned


def get_own_attempt(session: Session, user: User, attempt_id: int,
                    lock: bool = False) -> QuizAttempt:
    """Return the user's own attempt; someone else's is reported as missing."""
    return _owned(locked_attempt(session, attempt_id) if lock
                  else session.get(QuizAttempt, attempt_id), user)


def _owned(attempt: QuizAttempt | Row | None, user: User) -> QuizAttempt | Row:
    """``attempt`` if it is the user's; a missing one or someone else's is reported missing."""
    if attempt is None or attempt.user_id != row_id(user):
        raise NotFound("no such attempt")
    return attempt


def locked_attempt(session: Session, attempt_id: int) -> QuizAttempt | None:
    """Load the attempt fresh from the database, locked until the transaction ends."""
    return session.scalar(_LOCKED_ATTEMPT, {"id": attempt_id})


#: Built once, with its cache key: every submission (and a trainer's grading) locks the
#: attempt with it.
_LOCKED_ATTEMPT = (select(QuizAttempt).where(QuizAttempt.id == bindparam("id"))
                   .with_for_update().execution_options(populate_existing=True))


@transactional(durable=False)  # the browser saves again on the next answer
def save_draft(session: Session, user: User, attempt_id: int, values: dict[str, Any], *,
               now: datetime | None = None, grace: timedelta = DEFAULT_GRACE) -> datetime:
    """Keep answers given so far, so a reload or a dropped connection loses nothing; return
    when they were kept.

    The quiz page calls this on every answer, so it reads only the columns it checks (not the
    attempt's snapshot of questions) and writes with one UPDATE, past the ORM."""
    now = now or utcnow()
    found = _owned(fetch(session, _DRAFT_TARGET, {"id": attempt_id}).one_or_none(), user)
    if found.status is not AttemptStatus.IN_PROGRESS:
        raise AttemptClosed("this attempt has been submitted")
    if _past_deadline(found, now, grace):
        raise AttemptClosed("the time limit has passed")
    fetch(session, _KEEP_DRAFT, {"attempt_id": attempt_id, "saved_at": now,
                                 "draft": _clean_values(found.question_count, values)})
    kept = session.identity_map.get(session.identity_key(QuizAttempt, attempt_id))
    if kept is not None:  # a copy loaded earlier in this session re-reads what was written
        session.expire(kept, ["draft", "draft_saved_at"])
    return now


_ATTEMPTS = QuizAttempt.__table__
#: Locked until the unit ends, like ``locked_attempt``: a submission waits for the save.
_DRAFT_TARGET = (select(_ATTEMPTS.c.user_id, _ATTEMPTS.c.status, _ATTEMPTS.c.deadline_at,
                        func.json_array_length(_ATTEMPTS.c.questions).label("question_count"))
                 .where(_ATTEMPTS.c.id == bindparam("id")).with_for_update())
#: Its parameters take their columns' types (JSON, UTC datetime) from ``values``.
_KEEP_DRAFT = (_ATTEMPTS.update().where(_ATTEMPTS.c.id == bindparam("attempt_id"))
               .values(draft=bindparam("draft"), draft_saved_at=bindparam("saved_at")))


@transactional
def submit_attempt(session: Session, registry: QuestionTypeRegistry, user: User,
                   attempt_id: int, values: dict[str, Any], *, now: datetime | None = None,
                   grace: timedelta = DEFAULT_GRACE) -> tuple[QuizAttempt, bool]:
    """Grade the attempt; return (attempt, graded_now).

    Submitting an attempt again returns it unchanged. Unanswered questions raise
    ``Unanswered`` before anything is written. Past the time limit, the answers saved in time
    are graded instead of the late form, and the attempt is marked late.
    """
    now = now or utcnow()
    probe = get_own_attempt(session, user, attempt_id)
    module = probe.module
    lock_progress(session, user, module)
    attempt = get_own_attempt(session, user, attempt_id, lock=True)
    if attempt.status is not AttemptStatus.IN_PROGRESS:
        return attempt, False
    if _past_deadline(attempt, now, grace):
        _grade(session, registry, user, module, attempt, dict(attempt.draft), now, late=True)
        return attempt, True
    answers = _clean_values(len(attempt.questions), values)
    _grade(session, registry, user, module, attempt, answers, now, late=False)
    return attempt, True


def _grade(session: Session, registry: QuestionTypeRegistry, user: User, module: Module,
           attempt: QuizAttempt, values: dict[str, list[str]], now: datetime,
           late: bool) -> None:
    responses: list[Any] = []
    missing: list[int] = []
    for number, spec in enumerate(attempt.questions, start=1):
        response = registry[spec["type"]].parse_response(values.get(f"q{number}", []))
        if response is None:
            missing.append(number)
        responses.append(response)
    if missing and not late:
        raise Unanswered(missing)

    results = []
    for spec, response in zip(attempt.questions, responses, strict=True):
        question_type = registry[spec["type"]]
        if response is None:
            results.append({"earned": 0, "possible": spec["points"], "correct": False,
                            "pending": False})
        elif question_type.manual:
            results.append({"earned": None, "possible": spec["points"], "correct": None,
                            "pending": True, "comment": ""})
        else:
            grade = question_type.grade(spec, response)
            results.append({"earned": grade.earned, "possible": grade.possible,
                            "correct": grade.correct, "pending": False,
                            "feedback": grade.feedback})
    attempt.answers = responses
    attempt.results = results
    attempt.submitted_at = now
    attempt.late = late
    user_id = row_id(user)  # the unit expired the row: its id needs no refresh
    finish_attempt(session, user, module, attempt, actor_id=user_id, manual=False)
    raise_event(session, AttemptSubmitted(
        actor_id=user_id, user_id=user_id, course_id=module.course_id, module_id=module.id,
        attempt_id=attempt.id, attempt_number=attempt.number, late=late,
        status=attempt.status.value, score=attempt.score, passed=attempt.passed,
        occurred_at=now))


def finish_attempt(session: Session, user: User, module: Module, attempt: QuizAttempt, *,
                   actor_id: int, manual: bool) -> None:
    """Total the results; pass the module on only once nothing waits for a trainer."""
    results = attempt.results or []
    attempt.possible = float(sum(r["possible"] for r in results))
    attempt.earned = float(sum(r["earned"] or 0 for r in results))
    if any(r["pending"] for r in results):
        attempt.status = AttemptStatus.PENDING_REVIEW
        attempt.score = None
        attempt.passed = None
        session.flush()
        return
    attempt.status = AttemptStatus.GRADED
    attempt.score = round(attempt.earned * 100 / attempt.possible, 1) if attempt.possible else 0.0
    attempt.passed = attempt.score >= attempt.pass_mark
    session.flush()
    record_quiz_result(session, user, module, attempt.score, attempt.passed, actor_id=actor_id,
                       version_id=attempt.course_version_id)
    raise_event(session, AttemptGraded(
        actor_id=actor_id, user_id=row_id(user), course_id=module.course_id, module_id=module.id,
        attempt_id=attempt.id, score=attempt.score, passed=attempt.passed, manual=manual))
