"""Engine, sessions and transactions, one set per Flask app.

SQLite is tuned so several gunicorn workers can share one file: WAL, a busy timeout,
``synchronous=FULL`` (``NORMAL`` for a unit that need not be durable: a heartbeat, an
autosave) and foreign keys on every connection, and pysqlite's implicit transaction
handling replaced by our own ``BEGIN`` so that reads happen inside the transaction and a write
transaction starts ``BEGIN IMMEDIATE`` (a deferred transaction that later writes fails with
"database is locked" under concurrency instead of waiting). Write transactions take turns
through a file lock first (``lms.sqlite_writer``), which wakes a waiting writer at once.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, inspect
from sqlalchemy.engine import Connection, Result
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.sql import Executable
from sqlalchemy.types import TypeDecorator

from lms.connection_check import check_on_checkout
from lms.sqlite_writer import take_turns, wait_for_turn

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

WRITE_OPTION = "lms_write"
#: A write transaction whose commit need not wait for the disk (``transactional(durable=False)``).
NOT_DURABLE_OPTION = "lms_not_durable"
_SYNC_LEVEL = "lms_synchronous"
#: Largest row id: every id column is a 32-bit INTEGER on PostgreSQL (SQLite's overflows at
#: 2**63), so a larger id from outside names no row and never reaches the database.
MAX_ID = 2**31 - 1


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator):
    """Store aware UTC datetimes the same way on SQLite and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def row_id(row: Any) -> int:
    """A persistent row's primary key, without the refresh that reading ``row.id`` costs once
    a write unit has expired the row (a unit re-reads what it uses, not who is asking)."""
    return inspect(row).identity[0]


def utcnow() -> datetime:
    return datetime.now(UTC)


def make_engine(url: str, *, busy_timeout_ms: int = 15000, **kwargs) -> Engine:
    """Create an engine; SQLite gets the multi-process settings described above."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": busy_timeout_ms / 1000}, **kwargs
        )
        _tune_sqlite(engine, busy_timeout_ms)
        return engine
    # PostgreSQL keeps every commit durable: its asynchronous commit would lose the last
    # moments on a server crash or restart, not only on a power cut, and an acknowledged
    # autosave must survive a restart (docs/operations.md).
    engine = create_engine(url, **kwargs)
    check_on_checkout(engine)  # a connection the server closed is replaced, not used
    return engine


def _tune_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    take_turns(engine, busy_timeout_ms)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection):
        options = connection.get_execution_options()
        immediate = options.get(WRITE_OPTION, False)
        if immediate:
            _sync_level(connection, "NORMAL" if options.get(NOT_DURABLE_OPTION) else "FULL")
            wait_for_turn(connection)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    @event.listens_for(engine, "checkin")
    def _durable_again(dbapi_connection, record) -> None:
        """A connection goes back to the pool at ``FULL``: whoever takes it next (a host's
        code, a migration) commits durably without asking."""
        if dbapi_connection is not None and record.info.get(_SYNC_LEVEL, "FULL") != "FULL":
            dbapi_connection.execute("PRAGMA synchronous=FULL")
            record.info[_SYNC_LEVEL] = "FULL"


def _sync_level(connection: Connection, level: str) -> None:
    """Set SQLite's ``synchronous`` for the write about to begin, when it changes (it holds
    per connection, and may not change inside a transaction). In WAL mode ``NORMAL`` commits
    without an fsync: a power cut may lose the last such commits, whole, never half of one;
    the next ``FULL`` commit (or ``sync_to_disk``) syncs them along with its own."""
    info = connection.connection.info
    if info.get(_SYNC_LEVEL, "FULL") != level:
        connection.exec_driver_sql(f"PRAGMA synchronous={level}")
        info[_SYNC_LEVEL] = level


def sync_to_disk(bind: Engine | Connection) -> None:
    """Make every commit so far durable, as a ``synchronous=FULL`` commit would have: fsync
    the SQLite database's write-ahead log and file. For a unit that gave durability up and
    then did something that must not be lost (a heartbeat that completed a course). Nothing
    to do on PostgreSQL, whose commits are always durable."""
    url = bind.engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return
    for path in (f"{url.database}-wal", url.database):
        try:
            descriptor = os.open(path, os.O_RDONLY)
        except FileNotFoundError:  # no log: a checkpoint emptied it into the file
            continue
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def fetch(session: Session, statement: Executable, params: dict[str, Any] | None = None
          ) -> Result[Any]:
    """Run a read of plain columns (no entities) on the session's connection: the same
    transaction and answer as ``session.execute``, without the ORM's work per statement,
    which costs as much again as a small read itself. For the reads every trainee request
    makes. Pending changes are flushed first, as the session's autoflush would."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    return session.connection().execute(statement, params)


def make_sessionmaker(bind: Engine | Connection) -> sessionmaker[Session]:
    options = {}
    if isinstance(bind, Connection):
        options["join_transaction_mode"] = "create_savepoint"
    return sessionmaker(bind=bind, expire_on_commit=False, **options)


#: In a session's info: the isolation level a unit of work asks for its transaction, when
#: the session reads in autocommit (``make_autocommit_sessionmaker``).
UNIT_ISOLATION_KEY = "lms_unit_isolation"


def make_autocommit_sessionmaker(bind: Engine | Connection) -> sessionmaker[Session] | None:
    """Sessions whose reads run without a transaction, on PostgreSQL: no BEGIN and ROLLBACK
    round trips around a page that only reads. Under READ COMMITTED each statement sees the
    latest commits anyway, in a transaction or not, so the reads answer the same. A unit of
    work still gets a real transaction (``UNIT_ISOLATION_KEY``), and a flush outside one is
    refused rather than committed statement by statement. None on SQLite (its BEGIN costs
    no round trip) and for a bind that is one connection (tests' SAVEPOINT isolation)."""
    if isinstance(bind, Connection) or bind.dialect.name != "postgresql":
        return None
    maker = sessionmaker(bind=bind.execution_options(isolation_level="AUTOCOMMIT"),
                         expire_on_commit=False, info={UNIT_ISOLATION_KEY: _READ_COMMITTED})
    event.listen(maker, "before_flush", _refuse_flush_outside_a_unit)
    return maker


def transactions_read_committed(engine: Engine) -> bool:
    """Whether the engine's transactions are READ COMMITTED, the one level at which the
    autocommit sessions' reads answer as a transaction's would (a host's stricter engine
    keeps its snapshots). One connection's round trip: callers ask once."""
    with engine.connect() as connection:
        return connection.get_isolation_level() == _READ_COMMITTED


_READ_COMMITTED = "READ COMMITTED"


def _refuse_flush_outside_a_unit(session: Session, _context, _instances) -> None:
    from lms.unit_of_work import current_unit

    if current_unit(session) is None:
        raise RuntimeError("a write outside a unit of work, in a session that reads in "
                           "autocommit: decorate the service function with @transactional")
