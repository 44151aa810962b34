"""Alembic environment: only LMS's own tables, version kept in lms_alembic_version."""

from __future__ import annotations

from alembic import context

import lms.models  # noqa: F401  (registers every table on Base.metadata)
from lms.db import Base
from lms.migrate import VERSION_TABLE

config = context.config
engine = config.attributes["engine"]


def include_object(obj, name, type_, reflected, compare_to):
    if type_ == "table":
        return name.startswith("lms_")
    return True


def _sqlite_foreign_keys(connection, on: bool | None = None) -> bool:
    """Read (and set) SQLite's foreign_keys pragma, which only works outside a transaction.

    Batch mode rebuilds a table by copying it and dropping the original; with foreign keys
    enforced, that drop would cascade-delete every row pointing at it (progress, attempts),
    so they are off while migrating, as Alembic's batch documentation advises.
    """
    driver = connection.connection.driver_connection
    if on is not None:
        driver.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    return bool(driver.execute("PRAGMA foreign_keys").fetchone()[0])


with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    enforced = sqlite and _sqlite_foreign_keys(connection)
    if enforced:
        _sqlite_foreign_keys(connection, on=False)
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        include_object=include_object,
        render_as_batch=sqlite,
        compare_type=True,
    )
    try:
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
    finally:
        if enforced:
            connection.rollback()
            _sqlite_foreign_keys(connection, on=True)
