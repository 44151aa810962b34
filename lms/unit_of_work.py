"""One unit of work per state-changing service call: rows, handlers and outbox, all or nothing.

A service function decorated ``@transactional`` (or a ``with unit_of_work(session)`` block)
opens a write transaction (SQLite ``BEGIN IMMEDIATE``), collects the events the service
raises, runs the in-transaction handlers (which may raise more), writes one outbox row per
event with a delivery row per interested listener, and commits. Any exception rolls all of
it back. A call made inside another unit joins it, so the outer call commits once.
Views and CLI commands call one service function and never begin or commit themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from sqlalchemy.orm import Session

from lms.db import NOT_DURABLE_OPTION, UNIT_ISOLATION_KEY, WRITE_OPTION, sync_to_disk
from lms.events import Event
from lms.models.events import OutboxDelivery, OutboxEvent
from lms.services.errors import DomainError, EventHandlingFailed
from lms.subscribers import EventHandler, EventListener, SubscriberRegistry

log = logging.getLogger(__name__)

UOW_KEY = "lms_unit_of_work"
BUS_KEY = "lms_event_bus"
#: A handler that keeps raising events that raise events is a bug, not a workload.
MAX_EVENTS_PER_UNIT = 100_000

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class EventBus:
    """The per-app subscribers a session's units of work deliver to."""

    handlers: SubscriberRegistry[EventHandler]
    listeners: SubscriberRegistry[EventListener]
    #: Called after a commit that wrote outbox rows (the web app dispatches after the request).
    on_commit: Callable[[], None] | None = None


@dataclass
class UnitOfWork:
    session: Session
    bus: EventBus
    events: list[Event] = field(default_factory=list)
    #: Per-unit state a handler keeps between the events of one unit (keyed by its name).
    scratch: dict[str, Any] = field(default_factory=dict)
    _before_commit: dict[str, tuple[int, Callable[[], None]]] = field(default_factory=dict)

    def before_commit(self, key: str, callback: Callable[[], None], order: int = 0) -> None:
        """Run ``callback`` once, after every handler ran and before the outbox is written,
        lowest ``order`` first: a handler that touches many people or shared rows (counters)
        does it once per unit, set-based and in one lock order. It must raise no events."""
        self._before_commit.setdefault(key, (order, callback))

    def raise_event(self, event: Event) -> None:
        if len(self.events) >= MAX_EVENTS_PER_UNIT:
            raise RuntimeError(f"more than {MAX_EVENTS_PER_UNIT} events in one unit of work")
        self.events.append(event)

    def _run_handlers(self) -> None:
        index = 0
        while index < len(self.events):  # handlers may append events as we go
            event = self.events[index]
            for handler in self.bus.handlers.for_event(event):
                try:
                    handler.handle(event, self.session)
                except DomainError:
                    raise
                except Exception as error:
                    log.exception("handler %s failed on %s", handler.name, event.name)
                    raise EventHandlingFailed(handler.name, event.name) from error
            index += 1

    def _write_outbox(self) -> None:
        for event in self.events:
            row = OutboxEvent(name=event.name, payload=event.payload(),
                              occurred_at=event.occurred_at)
            row.deliveries = [OutboxDelivery(listener=listener.name,
                                             next_attempt_at=event.occurred_at)
                              for listener in self.bus.listeners.for_event(event)]
            self.session.add(row)

    def finish(self) -> None:
        self.session.flush()
        self._run_handlers()
        raised = len(self.events)
        for _order, callback in sorted(self._before_commit.values(), key=lambda item: item[0]):
            callback()
        if len(self.events) != raised:
            raise RuntimeError("a before_commit callback raised an event")
        self._write_outbox()
        self.session.flush()


def current_unit(session: Session) -> UnitOfWork | None:
    return session.info.get(UOW_KEY)


def raise_event(session: Session, event: Event) -> None:
    """Record an event in the session's unit of work; outside one it is a programming error."""
    unit = current_unit(session)
    if unit is None:
        raise RuntimeError(f"{event.name} raised outside a unit of work: decorate the service "
                           "function with @transactional")
    unit.raise_event(event)


@contextmanager
def unit_of_work(session: Session, *, durable: bool = True) -> Iterator[UnitOfWork]:
    """Open a unit of work on ``session``, or join the one already open.

    ``durable=False`` is for units the browser repeats anyway (a heartbeat, an autosave): on
    SQLite their commit does not wait for the disk, so a power cut may lose the last few, each
    whole; a durable commit after them makes them durable too. One that raised events (an
    enrollment, a completion, what its handlers did, a certificate) is synced to disk before
    it returns: those must not be lost."""
    unit = current_unit(session)
    if unit is not None:
        yield unit
        return
    bus = session.info.get(BUS_KEY)
    if bus is None:
        raise RuntimeError("this session has no event bus; use LmsState.sessionmaker()")
    if session.in_transaction():
        # A read transaction is ended first, so the write starts fresh as BEGIN IMMEDIATE on
        # SQLite; every row loaded so far is expired, so the unit re-reads it as committed now,
        # never the copy a view read before.
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("unflushed changes outside a unit of work")
        session.commit()
        session.expire_all()
    options = {WRITE_OPTION: True, NOT_DURABLE_OPTION: not durable}
    if UNIT_ISOLATION_KEY in session.info:  # the session reads in autocommit: not this unit
        options["isolation_level"] = session.info[UNIT_ISOLATION_KEY]
    session.connection(execution_options=options)
    unit = UnitOfWork(session, bus)
    session.info[UOW_KEY] = unit
    try:
        yield unit
        unit.finish()
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info.pop(UOW_KEY, None)
    if unit.events and not durable:
        try:
            sync_to_disk(session.get_bind())
        except OSError:  # committed all the same; only a power cut right now would lose it
            log.exception("could not sync the database to disk after a unit")
    if unit.events and bus.on_commit is not None:
        bus.on_commit()


def transactional(function: Callable[P, R] | None = None, *,
                  durable: bool = True) -> Any:
    """Run a service function (its first argument a Session) as one unit of work:
    ``@transactional``, or ``@transactional(durable=False)`` (see ``unit_of_work``)."""
    if function is None:
        return lambda decorated: transactional(decorated, durable=durable)

    @wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        session = args[0] if args else kwargs["session"]
        assert isinstance(session, Session), f"{function.__name__}: first argument is a Session"
        with unit_of_work(session, durable=durable):
            return function(*args, **kwargs)

    run.lms_durable = durable  # type: ignore[attr-defined]
    return run
