"""Scoped grants and org unit paths built from ids.

``lms_org_units.path`` held the name path ("党委/总支/支部"), so renaming a unit rewrote
every row below it. It now holds the id path ("/1/5/12/"), computed here from parent_id;
units are found by (parent_id, name), unique (roots through a partial index, as a unique
key treats NULL parents as distinct). ``lms_grants`` holds site admin, unit admin and
course author grants.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

units = sa.table("lms_org_units", sa.column("id", sa.Integer), sa.column("parent_id", sa.Integer),
                 sa.column("name", sa.String), sa.column("path", sa.String))


def _rewrite_paths(step) -> None:
    """Set every unit's path to ``step(parent's path, row)``, parents first."""
    connection = op.get_bind()
    rows = {row.id: row for row in connection.execute(
        sa.select(units.c.id, units.c.parent_id, units.c.name))}
    paths: dict[int, str] = {}

    def path_of(unit_id: int, seen: tuple[int, ...] = ()) -> str:
        if unit_id not in paths:
            if unit_id in seen:
                raise RuntimeError(f"org unit {unit_id} is its own ancestor")
            row = rows[unit_id]
            parent = None if row.parent_id is None else path_of(row.parent_id,
                                                                (*seen, unit_id))
            paths[unit_id] = step(parent, row)
        return paths[unit_id]

    for unit_id in sorted(rows):
        connection.execute(units.update().where(units.c.id == unit_id)
                           .values(path=path_of(unit_id)))


def upgrade() -> None:
    _rewrite_paths(lambda parent, row: f"{parent or '/'}{row.id}/")
    with op.batch_alter_table("lms_org_units") as batch_op:
        batch_op.drop_constraint("uq_lms_org_units_path", type_="unique")
        batch_op.create_unique_constraint("uq_lms_org_units_parent_id_name",
                                          ["parent_id", "name"])
    op.create_index("uq_lms_org_units_root_name", "lms_org_units", ["name"], unique=True,
                    sqlite_where=sa.text("parent_id IS NULL"),
                    postgresql_where=sa.text("parent_id IS NULL"))
    op.create_index("ix_lms_org_units_path", "lms_org_units", ["path"], unique=True,
                    postgresql_ops={"path": "varchar_pattern_ops"})

    op.create_table(
        "lms_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("site_admin", "unit_admin", "course_author",
                                  name="grant_kind", native_enum=False, length=20),
                  nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=True),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("granted_by_id", sa.Integer(), nullable=True),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(kind = 'site_admin' AND org_unit_id IS NULL AND course_id IS NULL)"
            " OR (kind = 'unit_admin' AND org_unit_id IS NOT NULL AND course_id IS NULL)"
            " OR (kind = 'course_author' AND course_id IS NOT NULL AND org_unit_id IS NULL)",
            name=op.f("ck_lms_grants_target_matches_kind")),
        sa.ForeignKeyConstraint(["user_id"], ["lms_users.id"], ondelete="CASCADE",
                                name=op.f("fk_lms_grants_user_id_lms_users")),
        sa.ForeignKeyConstraint(["org_unit_id"], ["lms_org_units.id"], ondelete="CASCADE",
                                name=op.f("fk_lms_grants_org_unit_id_lms_org_units")),
        sa.ForeignKeyConstraint(["course_id"], ["lms_courses.id"], ondelete="CASCADE",
                                name=op.f("fk_lms_grants_course_id_lms_courses")),
        sa.ForeignKeyConstraint(["granted_by_id"], ["lms_users.id"], ondelete="SET NULL",
                                name=op.f("fk_lms_grants_granted_by_id_lms_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lms_grants")),
        sa.UniqueConstraint("user_id", "org_unit_id",
                            name=op.f("uq_lms_grants_user_id_org_unit_id")),
        sa.UniqueConstraint("user_id", "course_id", name=op.f("uq_lms_grants_user_id_course_id")),
    )
    op.create_index("uq_lms_grants_site_admin", "lms_grants", ["user_id"], unique=True,
                    sqlite_where=sa.text("kind = 'site_admin'"),
                    postgresql_where=sa.text("kind = 'site_admin'"))
    op.create_index("ix_lms_grants_course_id", "lms_grants", ["course_id"])
    op.create_index("ix_lms_grants_org_unit_id", "lms_grants", ["org_unit_id"])


def downgrade() -> None:
    op.drop_table("lms_grants")
    op.drop_index("ix_lms_org_units_path", table_name="lms_org_units")
    op.drop_index("uq_lms_org_units_root_name", table_name="lms_org_units")
    _rewrite_paths(lambda parent, row: row.name if parent is None else f"{parent}/{row.name}")
    with op.batch_alter_table("lms_org_units") as batch_op:
        batch_op.drop_constraint("uq_lms_org_units_parent_id_name", type_="unique")
        batch_op.create_unique_constraint("uq_lms_org_units_path", ["path"])
