"""Migration 0016 counts the 学时 entries recorded before the hours counters existed."""

from __future__ import annotations

from datetime import date

from alembic import command

from lms.migrate import alembic_config, upgrade
from lms.models import User
from lms.services import accounts, hours_entries
from lms.unit_of_work import unit_of_work
from tests.services.test_hours_counters import counted, summed


def test_upgrade_fills_the_hours_counters_from_existing_entries(migrated_app):
    app = migrated_app
    engine = app.extensions["lms"].engine
    with app.app_context():
        db = app.extensions["lms"].session()
        with unit_of_work(db):
            admin = accounts.create_user(db, username="m-admin", display_name="管理员",
                                         role="admin", password=None, unit_path="迁移党委")
        people = []
        for number, unit in enumerate(["迁移党委/第一党支部", "迁移党委/第二党支部",
                                       "迁移党委/第二党支部"]):
            with unit_of_work(db):
                people.append(accounts.create_user(
                    db, username=f"m{number}", display_name="学员", role="trainee",
                    password=None, unit_path=unit))
        for number, person in enumerate(people):
            for kind, hours, held_on in [("central", "2", date(2026, 3, 1)),
                                         ("group", f"{number + 1}.25", date(2025, 6, 1))]:
                hours_entries.record_offline(db, db.get(User, admin.id),
                                             db.get(User, person.id), kind, hours, "轮训",
                                             held_on)
        kept = counted(db)
        assert kept == summed(db) and len(kept) == 4
        db.close()
    command.downgrade(alembic_config(engine), "0015")
    upgrade(engine)
    with app.app_context():
        db = app.extensions["lms"].session()
        assert counted(db) == kept
        db.close()
