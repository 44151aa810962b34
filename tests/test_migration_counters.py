"""Migration 0008 counts the records written before the counters existed."""

from __future__ import annotations

from alembic import command

from lms.migrate import alembic_config, upgrade
from lms.models import User
from lms.services import accounts, catalog, progress, quizzes
from lms.unit_of_work import unit_of_work
from tests.conftest import TEST_COURSES, load_course_folder
from tests.services.test_stats_counters import RIGHT, WRONG, counters


def test_upgrade_fills_the_counters_from_existing_records(migrated_app):
    app = migrated_app
    engine = app.extensions["lms"].engine
    load_course_folder(app, TEST_COURSES / "demo")
    registry = app.extensions["lms"].question_types
    with app.app_context():
        db = app.extensions["lms"].session()
        for number, unit in enumerate(["迁移党委/第一党支部", "迁移党委/第二党支部",
                                       "迁移党委/第二党支部"]):
            with unit_of_work(db):
                user = accounts.create_user(db, username=f"m{number}", display_name="学员",
                                            role="trainee", password=None, unit_path=unit)
            demo = catalog.get_course(db, "demo")
            with unit_of_work(db):
                progress.record_visit(db, user, demo.modules[1])
            if number:
                with unit_of_work(db):
                    attempt = quizzes.start_or_resume(db, registry, user, demo.modules[0])
                with unit_of_work(db):
                    quizzes.submit_attempt(db, registry, db.get(User, user.id), attempt.id,
                                           RIGHT if number == 1 else WRONG)
        kept = counters(db)
        db.close()
    assert max(v[3] for v in kept["lms_course_unit_stats"].values()) == 1   # one completed
    command.downgrade(alembic_config(engine), "0007")
    upgrade(engine)
    with app.app_context():
        db = app.extensions["lms"].session()
        assert counters(db) == kept
        db.close()
