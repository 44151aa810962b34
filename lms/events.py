"""Every domain event the library raises, in one place.

An event is raised inside a unit of work (``lms.unit_of_work.raise_event``) by the service
that made the change. Before the unit commits, in-transaction handlers see it (their writes
commit or roll back with the change); the unit then writes it to the outbox, from which
after-commit listeners receive it, retried until delivered. Every event carries who caused
it (``actor_id``, None for the system), when (``occurred_at``, UTC) and the ids of what it is
about; results (score, passed) where the event has one. Ids, never rows: an event must mean
the same thing when a listener reads it from the outbox a day later.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from lms.db import utcnow

EVENT_TYPES: dict[str, type[Event]] = {}


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every event; subclasses set ``name``, the stable key stored in the outbox."""

    name: ClassVar[str]
    actor_id: int | None
    occurred_at: datetime = field(default_factory=utcnow)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            if cls.name in EVENT_TYPES:
                raise TypeError(f"event name {cls.name!r} is taken by {EVENT_TYPES[cls.name]!r}")
            EVENT_TYPES[cls.name] = cls

    def payload(self) -> dict[str, Any]:
        """The event as JSON-ready values (the time as ISO 8601), for the outbox row."""
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        values["occurred_at"] = self.occurred_at.isoformat()
        return values

    @classmethod
    def from_payload(cls, name: str, payload: dict[str, Any]) -> Event:
        """Rebuild an event read back from the outbox."""
        event_type = EVENT_TYPES.get(name)
        if event_type is None:
            raise LookupError(f"unknown event {name!r}")
        values = dict(payload)
        values["occurred_at"] = datetime.fromisoformat(values["occurred_at"])
        known = {f.name for f in dataclasses.fields(event_type)}
        return event_type(**{k: v for k, v in values.items() if k in known})


@dataclass(frozen=True, kw_only=True)
class CourseEnrolled(Event):
    """A trainee has a course record for the first time (first module opened, or enrolled)."""

    name: ClassVar[str] = "course_enrolled"
    user_id: int
    course_id: int


@dataclass(frozen=True, kw_only=True)
class ModuleViewed(Event):
    """A trainee opened a module for the first time. Later views change nothing and raise
    nothing, so a page view writes nothing."""

    name: ClassVar[str] = "module_viewed"
    user_id: int
    course_id: int
    module_id: int


@dataclass(frozen=True, kw_only=True)
class AttemptSubmitted(Event):
    """A quiz attempt was handed in (by the trainee, or closed at its time limit).

    ``status`` is "graded" or "pending_review" (a short answer waits for a trainer); score and
    passed are None while it waits.
    """

    name: ClassVar[str] = "attempt_submitted"
    user_id: int
    course_id: int
    module_id: int
    attempt_id: int
    attempt_number: int
    late: bool
    status: str
    score: float | None
    passed: bool | None


@dataclass(frozen=True, kw_only=True)
class AttemptGraded(Event):
    """An attempt got its final score: at submission when every question grades itself, or
    when a trainer (``actor_id``) grades what waited (``manual``)."""

    name: ClassVar[str] = "attempt_graded"
    user_id: int
    course_id: int
    module_id: int
    attempt_id: int
    score: float
    passed: bool
    manual: bool


@dataclass(frozen=True, kw_only=True)
class ModuleCompleted(Event):
    """A trainee completed a module: read it (no quiz) or passed its quiz, and studied it for
    its ``min_minutes`` when it asks for some. Raised once."""

    name: ClassVar[str] = "module_completed"
    user_id: int
    course_id: int
    module_id: int


@dataclass(frozen=True, kw_only=True)
class CourseCompleted(Event):
    """Every required module of a course is completed. Raised once per trainee and course."""

    name: ClassVar[str] = "course_completed"
    user_id: int
    course_id: int


@dataclass(frozen=True, kw_only=True)
class QuestionsImported(Event):
    """A trainer (``actor_id``) imported a GIFT or Excel question bank into a module."""

    name: ClassVar[str] = "questions_imported"
    course_id: int
    module_id: int
    count: int


@dataclass(frozen=True, kw_only=True)
class CourseVersionCreated(Event):
    """Changed course content was published as version ``version_number`` (a reload of the
    course files or a question import). ``changes`` lists module slugs and question keys:
    ``modules_added``/``_changed``/``_removed``, ``modules_reordered``, ``details_changed``,
    ``questions_added``/``_revised``/``_removed``."""

    name: ClassVar[str] = "course_version_created"
    course_id: int
    version_id: int
    version_number: int
    changes: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class GrantChanged(Event):
    """A grant was given (``granted``) or taken back: site admin, unit admin of
    ``org_unit_id``'s subtree, or author of ``course_id``. ``actor_id`` is None from the CLI."""

    name: ClassVar[str] = "grant_changed"
    user_id: int
    kind: str
    org_unit_id: int | None
    course_id: int | None
    granted: bool


@dataclass(frozen=True, kw_only=True)
class PasswordChanged(Event):
    """A password was set: by its owner (``actor_id`` equals ``user_id``), by an administrator,
    or from the CLI (``actor_id`` None). ``one_time``: a generated password the person must
    replace at the next sign-in. Never carries the password or its hash."""

    name: ClassVar[str] = "password_changed"
    user_id: int
    one_time: bool


@dataclass(frozen=True, kw_only=True)
class UnitCreated(Event):
    """An admin (``actor_id``) added org unit ``unit_id`` under ``parent_id`` (None: a new
    top-level 党委)."""

    name: ClassVar[str] = "unit_created"
    unit_id: int
    parent_id: int | None
    unit_name: str
    kind: str


@dataclass(frozen=True, kw_only=True)
class UnitRenamed(Event):
    """An admin renamed org unit ``unit_id``; no other row changes (paths hold ids)."""

    name: ClassVar[str] = "unit_renamed"
    unit_id: int
    old_name: str
    new_name: str


@dataclass(frozen=True, kw_only=True)
class UnitMoved(Event):
    """An admin moved org unit ``unit_id`` and its whole subtree under ``new_parent_id``;
    every id path in the subtree now starts with ``new_path`` instead of ``old_path``."""

    name: ClassVar[str] = "unit_moved"
    unit_id: int
    old_parent_id: int | None
    new_parent_id: int
    old_path: str
    new_path: str


@dataclass(frozen=True, kw_only=True)
class UnitDeactivated(Event):
    """An admin deactivated org unit ``unit_id`` (it had no active people or sub-units); the
    row and its history stay, and it is offered nowhere new."""

    name: ClassVar[str] = "unit_deactivated"
    unit_id: int


@dataclass(frozen=True, kw_only=True)
class PersonCreated(Event):
    """An admin (or an import, ``source`` "import") added person ``user_id`` to unit
    ``org_unit_id``. Never carries a password."""

    name: ClassVar[str] = "person_created"
    user_id: int
    org_unit_id: int | None
    username: str
    display_name: str
    role: str
    source: str = "form"


@dataclass(frozen=True, kw_only=True)
class PersonUpdated(Event):
    """An admin changed person ``user_id``'s details: ``before`` and ``after`` hold only the
    fields that changed (display_name, role, phone, duty, email). Moves and deactivation
    have their own."""

    name: ClassVar[str] = "person_updated"
    user_id: int
    before: dict[str, Any]
    after: dict[str, Any]
    source: str = "form"


@dataclass(frozen=True, kw_only=True)
class PersonMoved(Event):
    """Person ``user_id`` now belongs to ``new_unit_id``; their counted records move with
    them (in-transaction), completed work stays completed."""

    name: ClassVar[str] = "person_moved"
    user_id: int
    old_unit_id: int | None
    new_unit_id: int


@dataclass(frozen=True, kw_only=True)
class PersonActivationChanged(Event):
    """An admin deactivated (``active`` False) or reactivated person ``user_id``. Their
    records stay in the statistics either way."""

    name: ClassVar[str] = "person_activation_changed"
    user_id: int
    active: bool


@dataclass(frozen=True, kw_only=True)
class OfflineHoursChanged(Event):
    """An admin recorded (or, ``removed``, took back) offline 学时 entry ``entry_id`` of
    person ``user_id``: ``kind`` central or group, ``hours``, ``title``, ``held_on`` (ISO)."""

    name: ClassVar[str] = "offline_hours_changed"
    user_id: int
    entry_id: int
    kind: str
    hours: float
    title: str
    held_on: str
    removed: bool = False


@dataclass(frozen=True, kw_only=True)
class CourseAssigned(Event):
    """Assignment ``assignment_id`` gives ``course_id`` to a unit's whole subtree
    (``org_unit_id``) or to one person (``user_id``), due on ``due_on`` (ISO date or None)."""

    name: ClassVar[str] = "course_assigned"
    assignment_id: int
    course_id: int
    org_unit_id: int | None
    user_id: int | None
    due_on: str | None


@dataclass(frozen=True, kw_only=True)
class CourseUnassigned(Event):
    """Assignment ``assignment_id`` was withdrawn; people's records stay."""

    name: ClassVar[str] = "course_unassigned"
    assignment_id: int
    course_id: int
    org_unit_id: int | None
    user_id: int | None


@dataclass(frozen=True, kw_only=True)
class CompletionOverridden(Event):
    """An admin marked ``module_id`` (None: the whole course) complete for ``user_id``,
    with a reason the trainee sees."""

    name: ClassVar[str] = "completion_overridden"
    user_id: int
    course_id: int
    module_id: int | None
    override_id: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class CourseStatusChanged(Event):
    """A course author changed who sees a course: ``old_status`` → ``new_status``, each one of
    ``draft`` (never published), ``published``, ``unpublished``, ``archived``, or ``deleted``
    (only a course without trainee records; its slug and title are kept here)."""

    name: ClassVar[str] = "course_status_changed"
    course_id: int
    course_slug: str
    course_title: str
    old_status: str
    new_status: str


@dataclass(frozen=True, kw_only=True)
class CertificateIssued(Event):
    """Certificate ``certificate_id`` of ``course_id`` (its ``cycle``) was issued to
    ``user_id``: on completion, by the backfill command (``actor_id`` None), or by an admin
    re-issuing it in place of the revoked ``replaces_id``."""

    name: ClassVar[str] = "certificate_issued"
    user_id: int
    course_id: int
    certificate_id: int
    cycle: int
    replaces_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class CertificateRevoked(Event):
    """An admin revoked certificate ``certificate_id`` of ``user_id`` for ``reason``; the
    verify page now says it was revoked."""

    name: ClassVar[str] = "certificate_revoked"
    user_id: int
    course_id: int
    certificate_id: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class CourseCycleOpened(Event):
    """Recurring training: ``user_id``'s completion of ``course_id`` lapses on ``due_on``, so
    cycle ``cycle`` reopened the course for them (the earlier cycle's record is kept).
    ``due_on`` is an ISO date."""

    name: ClassVar[str] = "course_cycle_opened"
    user_id: int
    course_id: int
    cycle: int
    due_on: str
