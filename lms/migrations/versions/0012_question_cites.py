"""Questions cite the passage of their module they rest on.

A nullable text column on the question (its current copy) and on each question revision
(the record). Every question written before has no cite: existing rows get NULL, and their
content hashes are unchanged (a cite is hashed only when present), so no new revision is made
for them until a course file gives them one.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TABLES = ("lms_questions", "lms_question_revisions")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("cite", sa.Text(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("cite")
