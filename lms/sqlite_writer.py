"""Writers to one SQLite file take turns through a file lock, so a waiting writer wakes as
soon as the lock is free.

SQLite lets one write transaction at a time; a second ``BEGIN IMMEDIATE`` waits in SQLite's
busy handler, which sleeps 1, 2, 5, 10, 15, 20, 25… ms between tries. Under two busy gunicorn
workers the heartbeat, whose write lasts about 2 ms, lost most of its time asleep: one worker
wrote while the other slept. Here a write transaction first takes an exclusive ``flock`` on
``<database>-writer.lock`` (polled every 0.05–0.5 ms, up to the busy timeout) and lets it go
once the transaction has committed or rolled back.

Nothing depends on the lock for correctness: SQLite still serialises writers. A connection
whose thread already holds the turn through another connection (a nested unit of work), or
that cannot open the lock file, or that waited the whole busy timeout, goes on to
``BEGIN IMMEDIATE`` as before, where SQLite's own wait and "database is locked" apply.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from sqlalchemy import Engine, event

try:
    import fcntl
except ImportError:  # not on Windows: SQLite's busy handler alone
    fcntl = None  # type: ignore[assignment]

INFO_KEY = "lms_writer_lock"
#: How many turns each thread holds, by thread id (a connection given back to the pool by
#: another thread still counts against the thread that took the turn).
_held: dict[int, int] = {}


def take_turns(engine: Engine, busy_timeout_ms: int) -> None:
    """Wrap the engine's write transactions in the file lock (file databases only)."""
    database = engine.url.database
    if fcntl is None or database in (None, "", ":memory:") or database.startswith("file:"):
        return
    path = f"{os.path.abspath(database)}-writer.lock"
    timeout = busy_timeout_ms / 1000

    @event.listens_for(engine, "connect")
    def _open_lock_file(_dbapi_connection, record) -> None:
        try:
            record.info[INFO_KEY] = _Turn(os.open(path, os.O_RDWR | os.O_CREAT, 0o600), timeout)
        except OSError:
            pass  # a read-only folder: SQLite's busy handler alone

    @event.listens_for(engine, "close")
    def _close_lock_file(_dbapi_connection, record) -> None:
        turn = record.info.pop(INFO_KEY, None)
        if turn is not None:
            turn.close()

    @event.listens_for(engine, "invalidate")
    def _give_back_on_invalidate(_dbapi_connection, record, _exception) -> None:
        turn = record.info.get(INFO_KEY)
        if turn is not None:
            turn.release()

    dialect = engine.dialect
    plain_commit, plain_rollback = dialect.do_commit, dialect.do_rollback

    def do_commit(dbapi_connection: Any) -> None:
        try:
            plain_commit(dbapi_connection)
        finally:
            _release(dbapi_connection)

    def do_rollback(dbapi_connection: Any) -> None:
        try:
            plain_rollback(dbapi_connection)
        finally:
            _release(dbapi_connection)

    dialect.do_commit, dialect.do_rollback = do_commit, do_rollback  # type: ignore[method-assign]


def wait_for_turn(connection) -> None:
    """Called as a write transaction begins, before ``BEGIN IMMEDIATE``."""
    turn = connection.connection.info.get(INFO_KEY)
    if turn is not None:
        turn.acquire()


def _release(dbapi_connection: Any) -> None:
    try:
        turn = dbapi_connection.info.get(INFO_KEY)
    except (AttributeError, NotImplementedError):  # the engine's first-connect probe
        return
    if turn is not None:
        turn.release()


class _Turn:
    """One connection's handle on the lock file."""

    def __init__(self, fd: int, timeout: float) -> None:
        self.fd, self.timeout, self.holder = fd, timeout, None

    def acquire(self) -> None:
        thread = threading.get_ident()
        if self.holder is not None or _held.get(thread):
            return  # this thread's other connection has the turn: waiting here would deadlock
        deadline, pause = time.monotonic() + self.timeout, 0.00005
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return
                time.sleep(pause)
                pause = min(pause * 2, 0.0005)
                continue
            self.holder = thread
            _held[thread] = _held.get(thread, 0) + 1
            return

    def release(self) -> None:
        if self.holder is not None:
            if _held.get(self.holder, 0) > 1:
                _held[self.holder] -= 1
            else:
                _held.pop(self.holder, None)
            self.holder = None
            fcntl.flock(self.fd, fcntl.LOCK_UN)

    def close(self) -> None:
        self.release()
        os.close(self.fd)
