"""Lists at scale: a search key per person, covered by the per-unit people index; the
overdue index partial on open enrolments, so PostgreSQL reads a page in index order.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

BATCH = 5000
OPEN = sa.text("completed_at IS NULL")


def _key(display_name: str, username: str, phone: str | None) -> str:
    """As ``lms.models.users.search_key`` computes it today (a migration never imports the
    models, which move on)."""
    return "\n".join((display_name, username, phone or "")).lower()


def upgrade() -> None:
    op.add_column("lms_users", sa.Column("search_key", sa.String(length=220),
                                         server_default="", nullable=False))
    bind = op.get_bind()
    users = sa.table("lms_users", sa.column("id"), sa.column("display_name"),
                     sa.column("username"), sa.column("phone"), sa.column("search_key"))
    last = 0
    while True:  # in keyed slices: Python lower-cases as the app does, on both databases
        rows = bind.execute(sa.select(users.c.id, users.c.display_name, users.c.username,
                                      users.c.phone).where(users.c.id > last)
                            .order_by(users.c.id).limit(BATCH)).all()
        if not rows:
            break
        bind.execute(users.update().where(users.c.id == sa.bindparam("row_id"))
                     .values(search_key=sa.bindparam("key")),
                     [{"row_id": r.id, "key": _key(r.display_name, r.username, r.phone)}
                      for r in rows])
        last = rows[-1].id
    op.drop_index("ix_lms_users_org_unit_role", table_name="lms_users")
    op.create_index("ix_lms_users_unit_people", "lms_users",
                    ["org_unit_id", "role", "active", "search_key"])
    op.create_index("ix_lms_users_org_unit_name", "lms_users",
                    ["org_unit_id", "display_name", "id"])
    # (course, completed_at) is the prefix of the overdue index: one index less to keep.
    op.drop_index("ix_lms_enrollments_course_completed", table_name="lms_enrollments")
    op.create_index("ix_lms_enrollments_open_due", "lms_enrollments",
                    ["course_id", "due_on", "id"], sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade() -> None:
    op.drop_index("ix_lms_enrollments_open_due", table_name="lms_enrollments")
    op.create_index("ix_lms_enrollments_course_completed", "lms_enrollments",
                    ["course_id", "completed_at"])
    op.drop_index("ix_lms_users_org_unit_name", table_name="lms_users")
    op.drop_index("ix_lms_users_unit_people", table_name="lms_users")
    op.create_index("ix_lms_users_org_unit_role", "lms_users", ["org_unit_id", "role"])
    with op.batch_alter_table("lms_users") as batch:
        batch.drop_column("search_key")
