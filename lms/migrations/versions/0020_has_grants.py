"""Each person's row says whether they may hold grants, so a trainee's page asks no grants query.

Every signed-in page works out what its person may do (the header links the admin and teaching
rooms by it); for the many people who hold no grant, a flag on the row they are read with
answers that without a query. Set for everyone who holds a grant row today.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("lms_users") as batch:
        batch.add_column(sa.Column("has_grants", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    op.execute("UPDATE lms_users SET has_grants = true "
               "WHERE id IN (SELECT user_id FROM lms_grants)")


def downgrade() -> None:
    with op.batch_alter_table("lms_users") as batch:
        batch.drop_column("has_grants")
