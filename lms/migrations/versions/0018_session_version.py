"""Sessions that end: a per-person session version, checked on every request.

Sign-out, a password change and deactivation add one to it, so every cookie signed with the
old number stops working. Every existing person starts at 1; their current sessions carry
no version and are signed out once, on the first request after the upgrade.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("lms_users") as batch:
        batch.add_column(sa.Column("session_version", sa.Integer(), nullable=False,
                                   server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("lms_users") as batch:
        batch.drop_column("session_version")
