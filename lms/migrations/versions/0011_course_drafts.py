"""Course drafts edited in the browser, and archived courses.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lms_draft_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["course_id"], ["lms_courses.id"], ondelete="CASCADE",
                                name="fk_lms_draft_files_course_id_lms_courses"),
        sa.ForeignKeyConstraint(["updated_by_id"], ["lms_users.id"], ondelete="SET NULL",
                                name="fk_lms_draft_files_updated_by_id_lms_users"),
        sa.PrimaryKeyConstraint("id", name="pk_lms_draft_files"),
        sa.UniqueConstraint("course_id", "name", name="uq_lms_draft_files_course_id_name"),
    )
    with op.batch_alter_table("lms_courses") as batch:
        batch.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("lms_courses") as batch:
        batch.drop_column("archived_at")
    op.drop_table("lms_draft_files")
