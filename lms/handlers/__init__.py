"""Built-in in-transaction handlers, registered the same way as ``lms.handlers`` plugins."""

from lms.handlers.course_completion import CourseCompletionHandler

BUILTIN_HANDLERS = (CourseCompletionHandler,)

__all__ = ["BUILTIN_HANDLERS", "CourseCompletionHandler"]
