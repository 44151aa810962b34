"""Alembic, driven from code so the CLI, tests and hosts share one path to the schema.

Alembic (with Mako and Pygments) is imported when a migration runs, never by a web worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine

from lms.resources import PACKAGE_DIR

if TYPE_CHECKING:
    from alembic.config import Config

VERSION_TABLE = "lms_alembic_version"


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(PACKAGE_DIR / "migrations"))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        return context.get_current_revision()


def is_behind(engine: Engine) -> bool:
    """True when the database lacks LMS's tables or an upgrade it needs (``flask lms init``)."""
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config(engine)).get_heads()
    return current_revision(engine) not in heads
