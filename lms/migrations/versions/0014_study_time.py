"""Active study time and the 学时 ledger: each person's study clock, the heartbeats it
accepted, where in a module the trainee last read, and the typed 学时 entries per year.

Existing progress keeps its ``seconds_active`` (time credited before heartbeats existed stays
credited) and gets no read position.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lms_study_clocks",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=True),
        sa.Column("last_beat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("carry_ms", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["lms_users.id"], ondelete="CASCADE",
                                name="fk_lms_study_clocks_user_id_lms_users"),
        sa.ForeignKeyConstraint(["module_id"], ["lms_modules.id"], ondelete="SET NULL",
                                name="fk_lms_study_clocks_module_id_lms_modules"),
        sa.PrimaryKeyConstraint("user_id", name="pk_lms_study_clocks"),
    )
    op.create_table(
        "lms_study_beats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("tab", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("credited", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["lms_users.id"], ondelete="CASCADE",
                                name="fk_lms_study_beats_user_id_lms_users"),
        sa.ForeignKeyConstraint(["module_id"], ["lms_modules.id"], ondelete="CASCADE",
                                name="fk_lms_study_beats_module_id_lms_modules"),
        sa.PrimaryKeyConstraint("id", name="pk_lms_study_beats"),
        sa.UniqueConstraint("user_id", "tab", "seq", name="uq_lms_study_beats_user_id_tab_seq"),
    )
    op.create_index("ix_lms_study_beats_user_time", "lms_study_beats",
                    ["user_id", "received_at"])
    op.create_index("ix_lms_study_beats_module", "lms_study_beats", ["module_id", "user_id"])
    with op.batch_alter_table("lms_module_progress") as batch:
        batch.add_column(sa.Column("read_position", sa.Float(), nullable=True))
    op.create_table(
        "lms_hours_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("quarter_hours", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("active_seconds", sa.Integer(), nullable=False),
        sa.Column("test_passed", sa.Boolean(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["lms_users.id"], ondelete="CASCADE",
                                name="fk_lms_hours_entries_user_id_lms_users"),
        sa.ForeignKeyConstraint(["course_id"], ["lms_courses.id"], ondelete="CASCADE",
                                name="fk_lms_hours_entries_course_id_lms_courses"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["lms_users.id"], ondelete="SET NULL",
                                name="fk_lms_hours_entries_recorded_by_id_lms_users"),
        sa.PrimaryKeyConstraint("id", name="pk_lms_hours_entries"),
        sa.UniqueConstraint("user_id", "course_id", "year",
                            name="uq_lms_hours_entries_user_id_course_id_year"),
    )
    op.create_index("ix_lms_hours_entries_year_user", "lms_hours_entries", ["year", "user_id"])


def downgrade() -> None:
    op.drop_index("ix_lms_hours_entries_year_user", table_name="lms_hours_entries")
    op.drop_table("lms_hours_entries")
    with op.batch_alter_table("lms_module_progress") as batch:
        batch.drop_column("read_position")
    op.drop_index("ix_lms_study_beats_module", table_name="lms_study_beats")
    op.drop_index("ix_lms_study_beats_user_time", table_name="lms_study_beats")
    op.drop_table("lms_study_beats")
    op.drop_table("lms_study_clocks")
