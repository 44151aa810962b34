"""Replace a pooled PostgreSQL connection the server has closed, without a round trip per request.

SQLAlchemy's ``pool_pre_ping`` sends ``SELECT 1`` on every checkout: one more round trip on
every request, about as much as one of the page's own statements. A server that restarts, or
ends a connection itself, closes the socket, and the closed socket is readable at once (end
of file, or PostgreSQL's last "terminating connection" message). So a checkout first asks the
socket, which costs no round trip, and pings only a connection whose socket has something to
say, or one idle long enough for a firewall to have dropped it silently. A failed ping makes
the pool throw the connection away and hand out a fresh one (``DisconnectionError``), so the
request after a database restart is served, not answered 503. A server that vanishes without
closing anything (a network cut, a failover moving an address) is noticed by a connection's
first statement instead: that request is answered 503 (lms.unavailable), once per pooled
connection, where a ping on every checkout would have hidden it.
"""

from __future__ import annotations

import select
import time

from sqlalchemy import Engine, event, exc

IDLE_INFO = "lms_idle_since"
#: A connection idle longer than this is pinged whatever its socket says: a firewall or NAT
#: may drop an idle connection without telling either end.
IDLE_PING_SECONDS = 30.0


def check_on_checkout(engine: Engine, idle_ping_seconds: float = IDLE_PING_SECONDS) -> None:
    @event.listens_for(engine, "checkin")
    def _note_idle(_dbapi_connection, record) -> None:
        record.info[IDLE_INFO] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _replace_if_closed(dbapi_connection, record, _proxy) -> None:
        idle_since = record.info.pop(IDLE_INFO, None)
        if idle_since is None:  # connected just now
            return
        if not (_has_something_to_say(dbapi_connection)
                or time.monotonic() - idle_since > idle_ping_seconds):
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise exc.DisconnectionError(f"pooled connection closed: {error}") from error


def _has_something_to_say(dbapi_connection) -> bool:
    """Whether the idle connection's socket is readable: the server closed it or sent a last
    message. A driver without a socket to ask is always pinged. ``poll``, not ``select``,
    which refuses descriptors past 1024 (a process with many files open)."""
    try:
        poller = select.poll()
        poller.register(dbapi_connection.fileno(), select.POLLIN)
        return bool(poller.poll(0))
    except Exception:  # closed, or a driver without fileno(): let the ping decide
        return True
