"""Fixtures the service tests share with the admin pages' tests."""

from tests.admin.hours_world import hours_world  # noqa: F401  (the 学时 statistics' data)
from tests.reminder_world import reminder_world, smtp_server  # noqa: F401,E402  (fixtures)
