"""Large text mode (长辈模式): each person's display preference, remembered on their row.

Larger type, higher contrast and bigger touch targets for older party members; off for
everyone until they switch it on.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("lms_users") as batch:
        batch.add_column(sa.Column("large_text", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("lms_users") as batch:
        batch.drop_column("large_text")
