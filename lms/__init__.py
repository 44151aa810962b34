"""党建培训学堂: a learning-management plugin library for Flask.

Importing this package has no side effects: engines, plugins and signals are set up in
``LMS.init_app``.
"""

from __future__ import annotations

__version__ = "0.1.0"

from lms.app import create_app
from lms.extension import LMS, HostUser

__all__ = ["LMS", "HostUser", "create_app", "__version__"]
