"""Org units can be deactivated; admin audit log.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("lms_org_units") as batch_op:
        batch_op.add_column(sa.Column("active", sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
    op.create_table(
        "lms_admin_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=80), nullable=False),
        sa.Column("target_kind", sa.String(length=40), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("org_unit_path", sa.String(length=500), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["lms_users.id"], ondelete="SET NULL",
                                name="fk_lms_admin_actions_actor_id_lms_users"),
        sa.PrimaryKeyConstraint("id", name="pk_lms_admin_actions"),
    )
    op.create_index("ix_lms_admin_actions_org_unit_path", "lms_admin_actions",
                    ["org_unit_path"], postgresql_ops={"org_unit_path": "varchar_pattern_ops"})
    op.create_index("ix_lms_admin_actions_action_occurred", "lms_admin_actions",
                    ["action", "occurred_at"])
    op.create_index("ix_lms_admin_actions_occurred_at", "lms_admin_actions", ["occurred_at"])


def downgrade() -> None:
    op.drop_table("lms_admin_actions")
    with op.batch_alter_table("lms_org_units") as batch_op:
        batch_op.drop_column("active")
