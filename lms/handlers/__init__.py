"""Built-in in-transaction handlers, registered the same way as ``lms.handlers`` plugins."""

from lms.handlers.admin_audit import AdminAuditHandler
from lms.handlers.course_completion import CourseCompletionHandler

BUILTIN_HANDLERS = (CourseCompletionHandler, AdminAuditHandler)

__all__ = ["AdminAuditHandler", "BUILTIN_HANDLERS", "CourseCompletionHandler"]
