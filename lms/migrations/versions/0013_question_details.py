"""Questions carry details common to every type: a name, a 知识点 and a difficulty, and the
format of their prompt when it is not plain text.

One nullable JSON column on the question (its current copy) and on each question revision
(the record). Every question written before has none: existing rows get NULL and their content
hashes are unchanged (details are hashed only when present), so no new revision is made for
them until a file or a form gives them some.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TABLES = ("lms_questions", "lms_question_revisions")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("details", sa.JSON(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("details")
