"""Import batches: a validated upload waiting for its one-use confirm.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lms_import_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("passwords", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["lms_users.id"], ondelete="SET NULL",
                                name="fk_lms_import_batches_created_by_id_lms_users"),
        sa.PrimaryKeyConstraint("id", name="pk_lms_import_batches"),
        sa.UniqueConstraint("token_hash", name="uq_lms_import_batches_token_hash"),
    )
    op.create_index("ix_lms_import_batches_created_at", "lms_import_batches", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_lms_import_batches_created_at", table_name="lms_import_batches")
    op.drop_table("lms_import_batches")
