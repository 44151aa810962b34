"""What one demo person did in one course: enrollment, module progress, quiz attempts and
the 学时 they earned.

A share never starts, a share stops partway (often on a quiz they failed), a share completes;
past-due courses are further along, keen units more so. Times run from the enrolment to now,
so completions spread over the weeks since the courses were assigned. The random draws never
depend on the clock, so a seed gives the same people and outcomes whenever it runs (the dates
move with today).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from lms.models import AttemptStatus, ProgressStatus
from lms.services.demo_quiz import MAX_TRIES, QuizModel
from lms.services.hours import year_of
from lms.services.hours_rules import Rule


@dataclass(frozen=True)
class ModuleModel:
    module_id: int
    minutes: int
    required: bool
    quiz: QuizModel | None


@dataclass(frozen=True)
class CourseModel:
    course_id: int
    version_id: int
    modules: list[ModuleModel]


@dataclass(frozen=True)
class Learner:
    user_id: int
    engagement: float
    ability: float


@dataclass(frozen=True)
class Cover:
    """How the person holds the course: by an assignment (with its earliest due date) or not."""

    assigned: bool
    due_on: date | None
    enrolled_at: datetime


@dataclass
class Rows:
    enrollments: list[dict[str, Any]] = field(default_factory=list)
    progress: list[dict[str, Any]] = field(default_factory=list)
    attempts: list[dict[str, Any]] = field(default_factory=list)


def _shares(cover: Cover, today: date) -> tuple[float, float]:
    """(never started, completed) before the unit's keenness moves them."""
    if not cover.assigned:
        return 0.25, 0.35
    if cover.due_on is not None and cover.due_on < today:
        return 0.12, 0.62
    if cover.due_on is not None and cover.due_on <= today + timedelta(days=21):
        return 0.22, 0.45
    return 0.30, 0.30


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    share = rng.random()  # drawn either way: the draws must not depend on the clock
    return start + (end - start) * share if end > start else start


def simulate(rng: random.Random, course: CourseModel, learner: Learner, cover: Cover,
             now: datetime, today: date, rows: Rows) -> None:
    never, complete = _shares(cover, today)
    draw = min(0.999, max(0.0, rng.random() + learner.engagement))
    enrollment = {"user_id": learner.user_id, "course_id": course.course_id,
                  "enrolled_at": cover.enrolled_at, "completed_at": None,
                  "assigned": cover.assigned, "due_on": cover.due_on}
    rows.enrollments.append(enrollment)
    if draw < never or not course.modules:
        return
    modules = course.modules
    start = min(cover.enrolled_at + timedelta(days=rng.expovariate(1 / 6)),
                _between(rng, cover.enrolled_at, now))
    if draw > 1 - complete:
        stop = len(modules)
        end = start + (now - start) * rng.uniform(0.05, 1.0)
        due = datetime.combine(cover.due_on, datetime.min.time(), tzinfo=now.tzinfo) \
            if cover.due_on else None
        before_due, share = rng.random(), rng.random()
        if due is not None and start < due < end and before_due < 0.85:
            end = start + (due - start) * share
    else:
        stop = rng.randrange(len(modules))
        if stop == 0 and modules[0].quiz is None:
            stop = 1  # started means something was read
        end = min(now, start + timedelta(days=rng.uniform(1, 30)))
    marks = sorted(_between(rng, start, end) for _ in modules)
    marks[0] = start
    done: dict[int, datetime] = {}
    for index, (module, opened) in enumerate(zip(modules, marks, strict=True)):
        if index > stop or (index == stop and module.quiz is None):
            break
        finish = index < stop
        completed = _module(rng, module, learner, opened, finish, course.version_id, now, rows)
        if completed is not None:
            done[index] = completed
        elif finish and module.required:
            break  # a quiz nobody can pass: they stop there
    if done and all(i in done for i, m in enumerate(modules) if m.required):
        enrollment["completed_at"] = max(done.values())


def _module(rng: random.Random, module: ModuleModel, learner: Learner, opened: datetime,
            finish: bool, version_id: int, now: datetime, rows: Rows) -> datetime | None:
    """Write the person's progress in the module (and attempts); when it completed, if so."""
    cap = now - timedelta(seconds=1)
    opened = min(opened, cap)
    seconds = int(module.minutes * 60 * rng.uniform(0.5, 1.8))
    row = {"user_id": learner.user_id, "module_id": module.module_id,
           "status": ProgressStatus.IN_PROGRESS, "first_seen_at": opened,
           "last_seen_at": opened, "seconds_active": seconds, "best_score": None,
           "completed_at": None, "completed_version_id": None}
    rows.progress.append(row)
    quiz = module.quiz
    if quiz is None:
        row.update(status=ProgressStatus.COMPLETED, completed_at=opened,
                   completed_version_id=version_id)
        return opened
    allowed = min(MAX_TRIES, quiz.attempts_allowed or MAX_TRIES)
    if finish and quiz.passable:
        tries = allowed
    else:  # stopped here: some never sat it, some failed it once or twice
        tries = min(allowed, rng.choices((0, 1, 2), (50, 35, 15))[0])
    clock = opened + timedelta(minutes=module.minutes * rng.uniform(0.6, 1.4))
    ability = learner.ability
    for number in range(1, tries + 1):
        force = "fail" if not finish else "pass" if number == tries else None
        sitting = quiz.sit(rng, ability, force)
        started = min(clock, cap)
        submitted = min(started + timedelta(minutes=rng.uniform(2, 12)), cap)
        if quiz.time_limit:
            submitted = min(submitted, started + timedelta(minutes=quiz.time_limit))
        attempt = {
            "user_id": learner.user_id, "module_id": module.module_id,
            "course_version_id": version_id, "number": number,
            "status": AttemptStatus.GRADED.value, "questions": quiz.snapshot,
            "settings": quiz.settings, "draft": "{}", "answers": sitting.answers,
            "results": sitting.results, "earned": sitting.earned, "possible": quiz.possible,
            "score": sitting.score, "pass_mark": quiz.pass_mark, "passed": sitting.passed,
            "late": False, "started_at": started, "submitted_at": submitted,
            "deadline_at": started + timedelta(minutes=quiz.time_limit)
            if quiz.time_limit else None,
            "reviewed_at": min(submitted + timedelta(hours=rng.uniform(2, 48)), cap)
            if quiz.manual else None,
        }
        rows.attempts.append(attempt)
        row["last_seen_at"] = max(row["last_seen_at"], submitted)
        row["seconds_active"] += int((submitted - started).total_seconds())
        if row["best_score"] is None or sitting.score > row["best_score"]:
            row["best_score"] = sitting.score
        if sitting.passed:
            completed = attempt["reviewed_at"] or submitted  # a trainer's grade completes it
            row.update(status=ProgressStatus.COMPLETED, completed_version_id=version_id,
                       completed_at=completed)
            return completed
        ability += 0.8  # they read the module again before the next try
        clock = submitted + timedelta(hours=rng.uniform(0.1, 72))
    return None


def study_record(rows: Rows, course_of: dict[int, int],
                 rule: Rule) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(heartbeats, 网络培训 学时 entries) behind ``rows``: one beat per module studied,
    crediting its study time when last seen, and per person, course and year the entry
    ``lms hours recompute`` would rebuild from those beats and the quizzes passed that year
    (so a replay keeps the demo's hours). The counters are recounted afterwards, with the
    rest (``stats_rebuild``)."""
    beats, studied = [], {}
    for row in rows.progress:
        beats.append({"user_id": row["user_id"], "module_id": row["module_id"], "tab": "demo",
                      "seq": row["module_id"], "received_at": row["last_seen_at"],
                      "credited": row["seconds_active"]})
        key = (row["user_id"], course_of[row["module_id"]], year_of(row["last_seen_at"]))
        entry = studied.setdefault(key, [0, row["last_seen_at"], False])
        entry[0] += row["seconds_active"]
        entry[1] = max(entry[1], row["last_seen_at"])
    for attempt in rows.attempts:
        if attempt["passed"]:
            passed_at = attempt["reviewed_at"] or attempt["submitted_at"]
            key = (attempt["user_id"], course_of[attempt["module_id"]], year_of(passed_at))
            entry = studied.setdefault(key, [0, passed_at, False])
            entry[1], entry[2] = max(entry[1], passed_at), True
    entries = [{"user_id": user_id, "course_id": course_id, "year": year, "kind": "online",
                "active_seconds": seconds, "test_passed": passed,
                "quarter_hours": rule(seconds, passed), "title": "", "held_on": None,
                "recorded_by_id": None, "updated_at": last, "counted_unit_id": None,
                "counted_quarter_hours": 0}
               for (user_id, course_id, year), (seconds, last, passed) in studied.items()]
    return beats, entries
