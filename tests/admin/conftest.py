"""The query-budget fixture, shared with the admin pages' own budget test."""

from tests.test_query_budgets import count_queries  # noqa: F401  (a fixture, found by name)
