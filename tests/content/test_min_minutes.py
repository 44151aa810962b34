"""``min_minutes`` in a module's front matter: checked, stored, versioned and written back."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from lms.content.course_writer import write_course
from lms.content.identity import content_hash
from lms.content.loader import CourseInvalid, read_course
from lms.models import CourseVersion, Module, ModuleRevision
from lms.plugins import load_question_types
from lms.services import catalog
from lms.services.course_content import ModuleContent, content_from_files
from lms.services.course_history import version_content
from tests.conftest import load_course_folder

REGISTRY = load_question_types()


def files(front: str = "") -> dict[str, str]:
    return {"course.yml": "slug: made\ntitle: 课\nmodules: [a.md]\n",
            "a.md": f"---\nslug: a\ntitle: 节\nminutes: 10\n{front}---\n正文。\n"}


@pytest.mark.parametrize("value", ["0", "601", "soon", "2.5", "true", "[5]"])
def test_a_bad_value_is_refused_with_its_line(value):
    with pytest.raises(CourseInvalid) as caught:
        read_course(files(f"min_minutes: {value}\n"), REGISTRY)
    assert [str(p) for p in caught.value.problems] == [
        "a.md:5: min_minutes must be a whole number of minutes of active study (1-600), "
        "or left out"]


def test_more_than_the_estimated_minutes_is_refused():
    with pytest.raises(CourseInvalid) as caught:
        read_course(files("min_minutes: 11\n"), REGISTRY)
    assert [str(p) for p in caught.value.problems] == [
        "a.md:5: min_minutes (11) must not be more than minutes (10), the estimated time"]


def test_it_is_read_and_written_back_only_when_set():
    course = read_course(files("min_minutes: 10\n"), REGISTRY)
    assert course.modules[0].min_minutes == 10
    written = write_course("made", content_from_files(course, {}), REGISTRY)
    assert "minutes: 10\nmin_minutes: 10\n---" in written["01-a.md"]
    assert read_course(written, REGISTRY).modules[0].min_minutes == 10
    plain = write_course("made", content_from_files(read_course(files(), REGISTRY), {}),
                         REGISTRY)
    assert "min_minutes" not in plain["01-a.md"]


def test_modules_without_it_keep_their_hash():
    module = content_from_files(read_course(files(), REGISTRY), {}).modules[0]
    assert module.min_minutes is None
    # The hash of a module without min_minutes is the one recorded before it existed.
    assert module.digest == content_hash({
        "title": module.title, "source": module.source, "html": module.html,
        "minutes": module.minutes, "required": module.required, "pass_mark": module.pass_mark,
        "quiz_settings": module.quiz_settings, "questions": []})
    assert replace(module, min_minutes=5).digest != module.digest


def test_it_is_stored_on_the_module_and_its_revision_and_a_change_makes_a_revision(
        app, db, make_course):
    made = make_course([{"minutes": 10, "min_minutes": 4}])
    course = catalog.get_course(db, made.slug)
    module = course.modules[0]
    revision = db.scalar(select(ModuleRevision).where(ModuleRevision.module_id == module.id))
    assert (module.min_minutes, revision.min_minutes) == (4, 4)
    recorded = version_content(db.get(CourseVersion, course.version_id)).modules[0]
    assert recorded.min_minutes == 4
    assert recorded.digest == ModuleContent.from_row(module).digest == revision.content_hash
    # Reloaded unchanged: no new revision; without the key: a new one, and no time rule.
    load_course_folder(app, made.folder)
    path = made.folder / "01-m1.md"
    path.write_text(path.read_text("utf-8").replace("min_minutes: 4\n", ""), "utf-8")
    load_course_folder(app, made.folder)
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(ModuleRevision)
                     .where(ModuleRevision.module_id == module.id)) == 2
    assert db.get(Module, module.id).min_minutes is None
