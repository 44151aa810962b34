"""Fixtures shared by the trainer page tests."""

from tests.grading_world import grading_world  # noqa: F401  (a fixture, found by name)
