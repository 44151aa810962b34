"""Extension points: question types and listeners come from entry points, per app."""

from __future__ import annotations

import logging

import pytest

from lms.listeners.audit_log import AuditLogListener
from lms.plugins import DuplicatePluginError, QuestionTypeRegistry, load_question_types
from lms.questions.choice import SingleChoice
from lms.signals import LmsSignals


def test_builtins_are_registered_through_the_entry_point_group():
    from importlib.metadata import entry_points

    declared = {ep.name for ep in entry_points(group="lms.question_types")}
    assert {"single_choice", "multiple_choice", "true_false", "fill_blank"} <= declared
    assert set(load_question_types().names()) >= declared


def test_a_second_type_under_a_taken_name_stops_start_up():
    class Impostor(SingleChoice):
        pass

    registry = QuestionTypeRegistry()
    registry.register(SingleChoice)
    registry.register(SingleChoice)  # the same class again is harmless
    with pytest.raises(DuplicatePluginError, match="single_choice"):
        registry.register(Impostor)


def test_audit_log_listener_logs_each_event(caplog):
    signals = LmsSignals()
    AuditLogListener().connect(signals)
    with caplog.at_level(logging.INFO, logger="lms.audit"):
        signals.send(signals.course_completed, "app", user_id=7, course_id=3)
    assert "course_completed course_id=3 user_id=7" in caplog.text
