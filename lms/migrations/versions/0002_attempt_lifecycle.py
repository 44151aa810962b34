"""Attempt lifecycle (start, draft, submit, review), quiz settings, question origin.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

STATUS = sa.Enum("in_progress", "pending_review", "graded", name="attempt_status",
                 native_enum=False, length=20)


def upgrade() -> None:
    with op.batch_alter_table("lms_modules") as batch:
        batch.add_column(sa.Column("quiz_settings", sa.JSON(), nullable=False,
                                   server_default="{}"))
    with op.batch_alter_table("lms_questions") as batch:
        batch.add_column(sa.Column("origin", sa.String(length=10), nullable=False,
                                   server_default="file"))

    # Attempts recorded before this revision were graded at submission.
    with op.batch_alter_table("lms_quiz_attempts") as batch:
        batch.add_column(sa.Column("status", STATUS, nullable=False, server_default="graded"))
        batch.add_column(sa.Column("settings", sa.JSON(), nullable=False, server_default="{}"))
        batch.add_column(sa.Column("draft", sa.JSON(), nullable=False, server_default="{}"))
        batch.add_column(sa.Column("draft_saved_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("late", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("started_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("deadline_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("reviewed_by_id", sa.Integer()))
        batch.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True)))
        for column, kind in (("answers", sa.JSON()), ("results", sa.JSON()),
                             ("earned", sa.Float()), ("possible", sa.Float()),
                             ("score", sa.Float()), ("passed", sa.Boolean()),
                             ("submitted_at", sa.DateTime(timezone=True))):
            batch.alter_column(column, existing_type=kind, nullable=True)
        batch.drop_constraint("uq_lms_quiz_attempts_client_token", type_="unique")
        batch.drop_column("client_token")
        batch.create_index("ix_lms_quiz_attempts_status", ["status"])
        batch.create_foreign_key("fk_lms_quiz_attempts_reviewed_by_id_lms_users", "lms_users",
                                 ["reviewed_by_id"], ["id"])
    op.execute("UPDATE lms_quiz_attempts SET started_at = submitted_at")
    with op.batch_alter_table("lms_quiz_attempts") as batch:
        batch.alter_column("started_at", existing_type=sa.DateTime(timezone=True),
                           nullable=False)
    # Server defaults were only for existing rows; the application sets every value.
    with op.batch_alter_table("lms_quiz_attempts") as batch:
        for column in ("status", "settings", "draft", "late"):
            batch.alter_column(column, server_default=None)
    with op.batch_alter_table("lms_modules") as batch:
        batch.alter_column("quiz_settings", server_default=None)
    with op.batch_alter_table("lms_questions") as batch:
        batch.alter_column("origin", server_default=None)


def downgrade() -> None:
    op.execute("DELETE FROM lms_quiz_attempts WHERE status <> 'graded'")
    with op.batch_alter_table("lms_quiz_attempts") as batch:
        batch.add_column(sa.Column("client_token", sa.String(length=64)))
    op.execute("UPDATE lms_quiz_attempts SET client_token = 'attempt-' || id")
    with op.batch_alter_table("lms_quiz_attempts") as batch:
        batch.alter_column("client_token", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint("uq_lms_quiz_attempts_client_token", ["client_token"])
        batch.drop_constraint("fk_lms_quiz_attempts_reviewed_by_id_lms_users",
                              type_="foreignkey")
        batch.drop_index("ix_lms_quiz_attempts_status")
        for column in ("reviewed_at", "reviewed_by_id", "deadline_at", "started_at", "late",
                       "draft_saved_at", "draft", "settings", "status"):
            batch.drop_column(column)
    with op.batch_alter_table("lms_questions") as batch:
        batch.drop_column("origin")
    with op.batch_alter_table("lms_modules") as batch:
        batch.drop_column("quiz_settings")
