"""Course rules, certificates, notices, people's duty and e-mail, 学时 counters per unit.

* ``lms_courses.rules`` / ``lms_course_versions.rules``: JSON, NULL for every existing course
  (no rule: a course completes as before, and no new version is made).
* ``lms_users.duty`` (every existing person is a 党员 ``member`` until an admin says otherwise)
  and ``lms_users.email`` (none).
* ``lms_certificates`` and ``lms_notices``: new and empty; certificates are issued for
  completions from now on (``lms certificates issue-missing`` backfills earlier ones).
* ``lms_unit_hours_stats``: filled from the 学时 entries already recorded, each counted in
  its person's current unit, and each entry remembers what it added.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("lms_courses", "lms_course_versions"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("rules", sa.JSON(), nullable=True))
    with op.batch_alter_table("lms_users") as batch:
        batch.add_column(sa.Column("email", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column(
            "duty", sa.Enum("member", "secretary", "cadre", name="user_duty",
                            native_enum=False, length=20),
            nullable=False, server_default="member"))
    _certificates()
    _notices()
    _hours_counters()


def _certificates() -> None:
    op.create_table(
        "lms_certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("holder_name", sa.String(length=100), nullable=False),
        sa.Column("unit_name", sa.String(length=500), nullable=False),
        sa.Column("course_title", sa.String(length=200), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("quarter_hours", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("revoke_reason", sa.String(length=200), nullable=False),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["lms_users.id"], ondelete="CASCADE",
                                name="fk_lms_certificates_user_id_lms_users"),
        sa.ForeignKeyConstraint(["course_id"], ["lms_courses.id"], ondelete="CASCADE",
                                name="fk_lms_certificates_course_id_lms_courses"),
        sa.ForeignKeyConstraint(["revoked_by_id"], ["lms_users.id"], ondelete="SET NULL",
                                name="fk_lms_certificates_revoked_by_id_lms_users"),
        sa.ForeignKeyConstraint(["replaces_id"], ["lms_certificates.id"], ondelete="SET NULL",
                                name="fk_lms_certificates_replaces_id_lms_certificates"),
        sa.PrimaryKeyConstraint("id", name="pk_lms_certificates"),
        sa.UniqueConstraint("code", name="uq_lms_certificates_code"),
    )
    op.create_index("uq_lms_certificates_valid", "lms_certificates",
                    ["user_id", "course_id", "cycle"], unique=True,
                    sqlite_where=sa.text("revoked_at IS NULL"),
                    postgresql_where=sa.text("revoked_at IS NULL"))
    op.create_index("ix_lms_certificates_course", "lms_certificates", ["course_id", "issued_at"])


def _notices() -> None:
    op.create_table(
        "lms_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["lms_users.id"], ondelete="CASCADE",
                                name="fk_lms_notices_user_id_lms_users"),
        sa.ForeignKeyConstraint(["course_id"], ["lms_courses.id"], ondelete="CASCADE",
                                name="fk_lms_notices_course_id_lms_courses"),
        sa.PrimaryKeyConstraint("id", name="pk_lms_notices"),
        sa.UniqueConstraint("user_id", "dedupe_key", name="uq_lms_notices_user_id_dedupe_key"),
    )
    op.create_index("ix_lms_notices_user_unread", "lms_notices",
                    ["user_id", "read_at", "created_at"])
    op.create_index("ix_lms_notices_unmailed", "lms_notices", ["created_at"],
                    sqlite_where=sa.text("emailed_at IS NULL AND read_at IS NULL"),
                    postgresql_where=sa.text("emailed_at IS NULL AND read_at IS NULL"))


def _hours_counters() -> None:
    op.create_table(
        "lms_unit_hours_stats",
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("quarter_hours", sa.Integer(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["org_unit_id"], ["lms_org_units.id"], ondelete="CASCADE",
                                name="fk_lms_unit_hours_stats_org_unit_id_lms_org_units"),
        sa.PrimaryKeyConstraint("org_unit_id", "year", "kind", name="pk_lms_unit_hours_stats"),
    )
    with op.batch_alter_table("lms_hours_entries") as batch:
        batch.add_column(sa.Column("counted_unit_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("counted_quarter_hours", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.create_foreign_key("fk_lms_hours_entries_counted_unit_id_lms_org_units",
                                 "lms_org_units", ["counted_unit_id"], ["id"],
                                 ondelete="SET NULL")
    op.execute(
        "UPDATE lms_hours_entries SET counted_quarter_hours = quarter_hours, counted_unit_id = "
        "(SELECT org_unit_id FROM lms_users WHERE lms_users.id = lms_hours_entries.user_id)")
    op.execute(
        "INSERT INTO lms_unit_hours_stats (org_unit_id, year, kind, quarter_hours, entries) "
        "SELECT counted_unit_id, year, kind, SUM(counted_quarter_hours), COUNT(*) "
        "FROM lms_hours_entries WHERE counted_unit_id IS NOT NULL "
        "GROUP BY counted_unit_id, year, kind")
    op.execute("UPDATE lms_hours_entries SET counted_quarter_hours = 0 "
               "WHERE counted_unit_id IS NULL")


def downgrade() -> None:
    with op.batch_alter_table("lms_hours_entries") as batch:
        batch.drop_constraint("fk_lms_hours_entries_counted_unit_id_lms_org_units",
                              type_="foreignkey")
        batch.drop_column("counted_quarter_hours")
        batch.drop_column("counted_unit_id")
    op.drop_table("lms_unit_hours_stats")
    op.drop_table("lms_notices")
    op.drop_table("lms_certificates")
    with op.batch_alter_table("lms_users") as batch:
        batch.drop_column("duty")
        batch.drop_column("email")
    for table in ("lms_courses", "lms_course_versions"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("rules")
