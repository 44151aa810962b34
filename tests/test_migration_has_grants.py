"""Migration 0020 marks everyone who holds a grant row, so their grants still count."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from lms.migrate import alembic_config, upgrade
from lms.models import GrantKind, User
from lms.services import accounts, grants
from lms.services.permissions import scope_of
from lms.unit_of_work import unit_of_work


def test_upgrade_marks_the_people_who_hold_grants(migrated_app):
    app = migrated_app
    engine = app.extensions["lms"].engine
    with app.app_context():
        db = app.extensions["lms"].session()
        with unit_of_work(db):
            for name in ("holder", "plain"):
                accounts.create_user(db, username=name, display_name=name, role="trainee",
                                     password=None, unit_path="迁移党委/第一党支部")
        holder = db.query(User).filter_by(username="holder").one()
        unit = holder.org_unit
        grants.grant(db, holder, grants.GrantTarget(GrantKind.UNIT_ADMIN, unit=unit))
        db.close()
    command.downgrade(alembic_config(engine), "0019")
    upgrade(engine)
    with engine.connect() as connection:
        flags = dict(connection.execute(text("SELECT username, has_grants FROM lms_users")).all())
    assert {name: bool(flag) for name, flag in flags.items()} == {"holder": True, "plain": False}
    with app.app_context():
        db = app.extensions["lms"].session()
        holder = db.query(User).filter_by(username="holder").one()
        assert holder.org_unit.path in scope_of(db, holder).unit_paths
        db.close()
