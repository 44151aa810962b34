"""A module may ask for minutes of active study before it completes (``min_minutes``).

One nullable integer on the module (its current copy) and on each module revision (the
record). Every module written before has none: existing rows get NULL, which means no time
rule, and their content hashes are unchanged (the key is hashed only when set), so no new
revision is made for them.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

TABLES = ("lms_modules", "lms_module_revisions")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("min_minutes", sa.Integer(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("min_minutes")
