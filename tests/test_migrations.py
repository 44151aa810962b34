"""The Alembic history and the models describe the same schema, on every backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

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
    from alembic.script import ScriptDirectory

    from lms.migrate import alembic_config

    engine = app.extensions["lms"].engine
    heads = ScriptDirectory.from_config(alembic_config(engine)).get_heads()
    assert len(heads) == 1, f"the migrations branch: heads {heads}"
    assert current_revision(engine) == heads[0]
    with engine.connect() as connection:  # in the LMS's own table, not the host's
        tables = inspect(connection).get_table_names()
    assert VERSION_TABLE in tables and "alembic_version" not in tables


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


def test_upgrade_turns_unit_name_paths_into_id_paths_and_back(empty_database):
    from alembic import command
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import IntegrityError

    from lms.migrate import alembic_config, upgrade

    engine = create_engine(empty_database)
    upgrade(engine, "0003")
    units = [  # (id, parent, name, name path as 0003 kept it), children listed before parents
        (7, 3, "第一党支部", "党委/总支/第一党支部"), (3, 1, "总支", "党委/总支"),
        (1, None, "党委", "党委"), (9, 3, "第二党支部", "党委/总支/第二党支部"),
        (4, None, "另一党委", "另一党委"), (5, 4, "第一党支部", "另一党委/第一党支部"),
    ]
    with engine.begin() as connection:
        for unit_id, parent, name, path in sorted(units, key=lambda u: u[3].count("/")):
            connection.execute(text(
                "INSERT INTO lms_org_units (id, parent_id, kind, name, path) "
                "VALUES (:id, :parent, 'branch', :name, :path)"),
                {"id": unit_id, "parent": parent, "name": name, "path": path})
    upgrade(engine, "0004")
    with engine.connect() as connection:
        paths = dict(connection.execute(text("SELECT id, path FROM lms_org_units")).all())
        subtree = connection.execute(text(
            "SELECT id FROM lms_org_units WHERE path LIKE '/1/3/%' ORDER BY id")).scalars().all()
    assert paths == {1: "/1/", 3: "/1/3/", 7: "/1/3/7/", 9: "/1/3/9/", 4: "/4/", 5: "/4/5/"}
    assert subtree == [3, 7, 9]
    with engine.begin() as connection:  # the grants table is there and takes a grant
        connection.execute(text(
            "INSERT INTO lms_users (id, username, display_name, role, active, created_at, "
            "org_unit_id) VALUES (1, 'sec', '书记', 'trainee', true, CURRENT_TIMESTAMP, 7)"))
        connection.execute(text(
            "INSERT INTO lms_grants (user_id, kind, org_unit_id, granted_at) "
            "VALUES (1, 'unit_admin', 7, CURRENT_TIMESTAMP)"))
    try:  # roots are unique by name though their parent is NULL
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO lms_org_units (parent_id, kind, name, path) "
                                    "VALUES (NULL, 'committee', '党委', '/x/')"))
    except IntegrityError:
        pass
    else:
        raise AssertionError("a second root named 党委 was accepted")
    command.downgrade(alembic_config(engine), "0003")
    with engine.connect() as connection:
        paths = dict(connection.execute(text("SELECT id, path FROM lms_org_units")).all())
    assert paths == {unit_id: path for unit_id, _, _, path in units}
    upgrade(engine)
    engine.dispose()


def test_upgrade_gives_existing_people_the_search_key_the_app_keeps(empty_database):
    """People imported before 0010 are found by the people search like new ones."""
    from sqlalchemy import create_engine, text

    from lms.migrate import upgrade
    from lms.models.users import search_key

    engine = create_engine(empty_database)
    upgrade(engine, "0009")
    people = [(1, "Wang.Wei", "王伟", "138 0000 0001"), (2, "li", "李Ａ", None)]
    with engine.begin() as connection:
        for user_id, username, name, phone in people:
            connection.execute(text(
                "INSERT INTO lms_users (id, username, display_name, phone, role, active, "
                "created_at) VALUES (:id, :u, :n, :p, 'trainee', true, CURRENT_TIMESTAMP)"),
                {"id": user_id, "u": username, "n": name, "p": phone})
    upgrade(engine)
    with engine.connect() as connection:
        keys = dict(connection.execute(text("SELECT id, search_key FROM lms_users")).all())
    engine.dispose()
    assert keys == {user_id: search_key(name, username, phone)
                    for user_id, username, name, phone in people}
    assert keys[1] == "王伟\nwang.wei\n138 0000 0001"
