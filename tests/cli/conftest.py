"""The statistics tests' hand-built 党委, for comparing the CLI with the dashboard."""

from tests.admin.stats_world import stats_world  # noqa: F401  (a fixture, found by name)
