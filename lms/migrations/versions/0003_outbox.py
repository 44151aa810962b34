"""Domain event outbox and per-listener deliveries.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lms_outbox_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lms_outbox_events")),
    )
    op.create_index("ix_lms_outbox_events_name_occurred", "lms_outbox_events",
                    ["name", "occurred_at"])
    op.create_table(
        "lms_outbox_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("listener", sa.String(length=100), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["lms_outbox_events.id"], ondelete="CASCADE",
                                name=op.f("fk_lms_outbox_deliveries_event_id_lms_outbox_events")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lms_outbox_deliveries")),
        sa.UniqueConstraint("event_id", "listener",
                            name=op.f("uq_lms_outbox_deliveries_event_id_listener")),
    )
    op.create_index("ix_lms_outbox_deliveries_due", "lms_outbox_deliveries",
                    ["delivered_at", "next_attempt_at"])


def downgrade() -> None:
    op.drop_table("lms_outbox_deliveries")
    op.drop_table("lms_outbox_events")
