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


with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
