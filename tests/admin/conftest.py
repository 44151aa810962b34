"""The query-budget fixture, shared with the admin pages' own budget test."""

from tests.admin.hours_world import hours_world  # noqa: F401  (the 学时 statistics' data)
from tests.admin.stats_world import stats_world  # noqa: F401  (the statistics tests' data)
from tests.test_query_budgets import count_queries  # noqa: F401  (a fixture, found by name)
