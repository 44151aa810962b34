"""Migration 0012 gives questions a cite: rows written before have none and keep their hash."""

from __future__ import annotations

from alembic import command
from sqlalchemy import func, select, text

from lms.migrate import alembic_config, upgrade
from lms.models import Course, CourseVersion, QuestionRevision
from lms.services.course_content import content_from_rows
from tests.conftest import TEST_COURSES, load_course_folder


def test_questions_recorded_before_cites_get_none_and_make_no_new_revision(migrated_app):
    app = migrated_app
    engine = app.extensions["lms"].engine
    load_course_folder(app, TEST_COURSES / "demo")
    command.downgrade(alembic_config(engine), "0011")  # the rows as a release before wrote them
    with engine.connect() as connection:
        columns = connection.execute(text("SELECT * FROM lms_questions")).keys()
        assert "cite" not in columns
    upgrade(engine)
    with app.app_context():
        db = app.extensions["lms"].session()
        revisions = db.scalar(select(func.count()).select_from(QuestionRevision))
        assert revisions > 0 and db.scalar(select(func.count()).select_from(QuestionRevision)
                                           .where(QuestionRevision.cite.is_not(None))) == 0
        course = db.scalar(select(Course).where(Course.slug == "demo"))
        assert all(q.cite is None for m in course.modules for q in m.questions)
        # Hashed as before: the current version is still the content the rows hold.
        assert content_from_rows(course).digest == db.scalar(
            select(CourseVersion.content_hash).where(CourseVersion.id == course.version_id))
        db.close()
