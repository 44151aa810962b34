"""Admin room views (being built)."""

from lms.admin import bp  # noqa: F401
