"""The Alembic history and the models describe the same schema, on every backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from lms.db import Base
from lms.migrate import VERSION_TABLE, current_revision


def test_migrated_schema_matches_the_models(app):
    engine = app.extensions["lms"].engine
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "version_table": VERSION_TABLE, "compare_type": True,
            "include_object": lambda obj, name, type_, *_: type_ != "table"
            or name.startswith("lms_"),
        })
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_schema_is_at_head_in_its_own_version_table(app):
    assert current_revision(app.extensions["lms"].engine) == "0002"


def test_upgrade_keeps_attempts_recorded_before_the_attempt_lifecycle(empty_database):
    from alembic import command
    from sqlalchemy import create_engine, text

    from lms.migrate import alembic_config, upgrade

    engine = create_engine(empty_database)
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO lms_users (id, username, display_name, role, active, created_at) "
            "VALUES (1, 'old', '老学员', 'trainee', true, CURRENT_TIMESTAMP)"))
        connection.execute(text(
            "INSERT INTO lms_courses (id, slug, title, description, audience, pass_mark, "
            "published, content_hash, created_at, updated_at) VALUES (1, 'c', '课', '', '', 60, "
            "true, '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        connection.execute(text(
            "INSERT INTO lms_modules (id, course_id, position, slug, title, source, html, "
            "minutes, required) VALUES (1, 1, 1, 'm', '节', 's', '<p>s</p>', 5, true)"))
        connection.execute(text(
            "INSERT INTO lms_quiz_attempts (user_id, module_id, number, client_token, questions, "
            "answers, results, earned, possible, score, pass_mark, passed, submitted_at) VALUES "
            "(1, 1, 1, 'token-old-1234567890', '[]', '[]', '[]', 1, 1, 100, 60, true, "
            "CURRENT_TIMESTAMP)"))
    upgrade(engine)
    with engine.connect() as connection:
        row = connection.execute(text(
            "SELECT status, started_at = submitted_at, late, score FROM lms_quiz_attempts"
        )).one()
    assert tuple(row) == ("graded", True, False, 100)
    command.downgrade(alembic_config(engine), "0001")  # and back, keeping the graded attempt
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM lms_quiz_attempts")).scalar() == 1
    upgrade(engine)
    engine.dispose()
