"""Recurring training: each enrollment's cycle, each attempt's cycle, closed cycles kept.

Every existing enrollment and attempt is in cycle 1 (nothing recurred before), with no
cycle start or cycle due date, so every figure reads as before.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("lms_enrollments") as batch:
        batch.add_column(sa.Column("cycle", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("cycle_started_at", sa.DateTime(timezone=True),
                                   nullable=True))
        batch.add_column(sa.Column("cycle_due_on", sa.Date(), nullable=True))
    with op.batch_alter_table("lms_quiz_attempts") as batch:
        batch.add_column(sa.Column("cycle", sa.Integer(), nullable=False, server_default="1"))
    op.create_table(
        "lms_course_cycles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["lms_users.id"], ondelete="CASCADE",
                                name="fk_lms_course_cycles_user_id_lms_users"),
        sa.ForeignKeyConstraint(["course_id"], ["lms_courses.id"], ondelete="CASCADE",
                                name="fk_lms_course_cycles_course_id_lms_courses"),
        sa.PrimaryKeyConstraint("id", name="pk_lms_course_cycles"),
        sa.UniqueConstraint("user_id", "course_id", "cycle",
                            name="uq_lms_course_cycles_user_id_course_id_cycle"),
    )


def downgrade() -> None:
    op.drop_table("lms_course_cycles")
    with op.batch_alter_table("lms_quiz_attempts") as batch:
        batch.drop_column("cycle")
    with op.batch_alter_table("lms_enrollments") as batch:
        batch.drop_column("cycle_due_on")
        batch.drop_column("cycle_started_at")
        batch.drop_column("cycle")
