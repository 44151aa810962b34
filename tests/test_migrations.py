"""The Alembic history and the models describe the same schema, on every backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from lms.db import Base
from lms.migrate import VERSION_TABLE, current_revision


def test_migrated_schema_matches_the_models(app):
    engine = app.extensions["lms"].engine
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "version_table": VERSION_TABLE, "compare_type": True,
            "include_object": lambda obj, name, type_, *_: type_ != "table"
            or name.startswith("lms_"),
        })
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_schema_is_at_head_in_its_own_version_table(app):
    assert current_revision(app.extensions["lms"].engine) == "0002"
