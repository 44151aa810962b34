"""Extension points: question types and listeners come from entry points, per app."""

from __future__ import annotations

import logging
from importlib.metadata import EntryPoint

import pytest

from lms import create_app, plugins
from lms.events import CourseCompleted
from lms.listeners.audit_log import AuditLogListener
from lms.plugins import (
    QUESTION_TYPES_GROUP,
    DuplicatePluginError,
    QuestionTypeRegistry,
    load_question_types,
)
from lms.questions import BUILTIN_TYPES
from lms.questions.choice import SingleChoice


class Scale(SingleChoice):
    """A question type that only an entry point declares."""

    name = "test_scale"


class Misnamed(SingleChoice):
    name = "not_what_the_entry_point_says"


class Impostor(SingleChoice):
    """Claims a built-in's name with a different class."""


def add_entry_points(monkeypatch, *extra: EntryPoint) -> None:
    """Make ``lms.plugins`` see the installed entry points plus ``extra``."""
    installed = plugins.entry_points

    def patched(*, group: str):
        return [*installed(group=group), *(ep for ep in extra if ep.group == group)]

    monkeypatch.setattr(plugins, "entry_points", patched)


def start_app():
    return create_app({"LMS_DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})


def test_builtins_are_declared_in_the_entry_point_group():
    from importlib.metadata import entry_points

    declared = {ep.name: ep.load() for ep in entry_points(group=QUESTION_TYPES_GROUP)}
    assert {t.name: t for t in BUILTIN_TYPES}.items() <= declared.items()


def test_a_type_declared_only_by_an_entry_point_is_registered_per_app(monkeypatch):
    assert "test_scale" not in start_app().extensions["lms"].question_types
    add_entry_points(monkeypatch, EntryPoint("test_scale", f"{__name__}:Scale",
                                             QUESTION_TYPES_GROUP))
    assert type(load_question_types()["test_scale"]) is Scale
    registry = start_app().extensions["lms"].question_types
    assert type(registry["test_scale"]) is Scale
    assert set(registry.names()) >= {t.name for t in BUILTIN_TYPES}


@pytest.mark.parametrize("name,value,error", [
    ("test_scale", "tests.no_such_plugin:Scale", ModuleNotFoundError),
    ("test_scale", f"{__name__}:NoSuchClass", AttributeError),
    ("test_scale", f"{__name__}:Misnamed", DuplicatePluginError),
    ("single_choice", f"{__name__}:Impostor", DuplicatePluginError),
])
def test_a_broken_entry_point_stops_start_up(monkeypatch, name, value, error):
    add_entry_points(monkeypatch, EntryPoint(name, value, QUESTION_TYPES_GROUP))
    with pytest.raises(error):
        start_app()


def test_a_second_type_under_a_taken_name_stops_start_up():
    registry = QuestionTypeRegistry()
    registry.register(SingleChoice)
    registry.register(SingleChoice)  # the same class again is harmless
    with pytest.raises(DuplicatePluginError, match="single_choice"):
        registry.register(Impostor)


def test_audit_log_listener_logs_each_event(caplog):
    with caplog.at_level(logging.INFO, logger="lms.audit"):
        AuditLogListener().handle(CourseCompleted(actor_id=7, user_id=7, course_id=3), 41)
    assert "course_completed event_id=41 actor_id=7 course_id=3 occurred_at=" in caplog.text
    assert caplog.text.rstrip().endswith("user_id=7")
