"""The statistics tests' hand-built 党委, for comparing the CLI with the dashboard."""

from tests.admin.stats_world import stats_world  # noqa: F401  (a fixture, found by name)
from tests.reminder_world import reminder_world, smtp_server  # noqa: F401  (fixtures, by name)
