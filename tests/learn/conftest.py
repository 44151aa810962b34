"""Fixtures shared by the trainee page tests."""

from tests.grading_world import grading_world  # noqa: F401  (a fixture, found by name)
from tests.reminder_world import reminder_world  # noqa: F401  (a fixture, found by name)
from tests.services.test_recurrence import yearly  # noqa: F401  (a fixture, found by name)
from tests.test_query_budgets import count_queries  # noqa: F401  (a fixture, found by name)
