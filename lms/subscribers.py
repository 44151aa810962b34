"""Who hears events: in-transaction handlers and after-commit listeners, per app.

A **handler** runs inside the unit of work that raised the event, before it commits: its
writes (counters, 学时 ledger, certificates) commit with the change or not at all, and its
failure rolls the whole unit back. A **listener** runs after commit, fed from the outbox by
the dispatcher, retried until it succeeds; its failure is logged and never reaches the
trainee. Both come from built-ins first, then the ``lms.handlers`` / ``lms.listeners``
entry-point groups, loaded once per app in ``init_app``.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from lms.events import Event
from lms.plugins import BUILTIN_SOURCE, PluginEntry, entry_point_source

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

HANDLERS_GROUP = "lms.handlers"
LISTENERS_GROUP = "lms.listeners"


class _Subscriber:
    #: Stable key, unique per app; listeners' deliveries are recorded under it.
    name: ClassVar[str]
    #: Event classes this subscriber wants; empty means every event.
    events: ClassVar[tuple[type[Event], ...]] = ()

    def wants(self, event: Event) -> bool:
        return not self.events or isinstance(event, self.events)


class EventHandler(_Subscriber):
    """Base class of in-transaction handlers.

    ``handle`` gets the event and the unit's session; it may write rows and raise further
    events with ``lms.unit_of_work.raise_event(session, ...)``. It must not commit.
    """

    def handle(self, event: Event, session: Session) -> None:
        raise NotImplementedError


class EventListener(_Subscriber):
    """Base class of after-commit listeners (plugins, xAPI).

    ``handle`` may be called more than once for one event (after a crash mid-delivery), so it
    should be idempotent; ``event`` identity for that purpose is its outbox id, passed as
    ``event_id``.
    """

    #: Attempts before a delivery is given up and left marked failed.
    max_attempts: ClassVar[int] = 10

    def handle(self, event: Event, event_id: int) -> None:
        raise NotImplementedError


Sub = TypeVar("Sub", bound=_Subscriber)


class DuplicateSubscriberError(RuntimeError):
    pass


class SubscriberRegistry(Generic[Sub]):
    """Instances by name, in registration order, each with where it came from."""

    def __init__(self, kind: str, base: type[Sub]) -> None:
        self.kind = kind
        self.base = base
        self._items: dict[str, Sub] = {}
        self._sources: dict[str, str] = {}

    def register(self, subscriber: Sub, source: str = BUILTIN_SOURCE) -> None:
        if not isinstance(subscriber, self.base):
            raise TypeError(f"{subscriber!r} is not an {self.base.__name__}")
        name = subscriber.name
        if name in self._items:
            if type(self._items[name]) is type(subscriber):
                return
            raise DuplicateSubscriberError(f"{self.kind} {name!r} is registered twice")
        self._items[name] = subscriber
        self._sources[name] = source

    def unregister(self, name: str) -> None:
        """Remove a subscriber (tests, or a host switching a built-in off)."""
        self._items.pop(name, None)
        self._sources.pop(name, None)

    def get(self, name: str) -> Sub | None:
        return self._items.get(name)

    def __iter__(self):
        return iter(self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def for_event(self, event: Event) -> list[Sub]:
        return [item for item in self._items.values() if item.wants(event)]

    def entries(self) -> list[PluginEntry]:
        return [PluginEntry(self.kind, name, self._sources[name]) for name in self._items]


def _load(registry: SubscriberRegistry, group: str, builtins: Iterable[type]) -> None:
    builtin_classes = set(builtins)
    for builtin in builtins:
        registry.register(builtin())
    for entry_point in entry_points(group=group):
        loaded = entry_point.load()
        if loaded in builtin_classes:
            continue
        if getattr(loaded, "name", None) != entry_point.name:
            raise DuplicateSubscriberError(
                f"entry point {entry_point.name!r} loads a {registry.kind} named "
                f"{getattr(loaded, 'name', None)!r}")
        registry.register(loaded(), entry_point_source(entry_point))


def load_handlers() -> SubscriberRegistry[EventHandler]:
    from lms.handlers import BUILTIN_HANDLERS

    registry: SubscriberRegistry[EventHandler] = SubscriberRegistry("handler", EventHandler)
    _load(registry, HANDLERS_GROUP, BUILTIN_HANDLERS)
    return registry


def load_listeners() -> SubscriberRegistry[EventListener]:
    from lms.listeners import BUILTIN_LISTENERS

    registry: SubscriberRegistry[EventListener] = SubscriberRegistry("listener", EventListener)
    _load(registry, LISTENERS_GROUP, BUILTIN_LISTENERS)
    return registry
