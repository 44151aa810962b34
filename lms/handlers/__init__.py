"""Built-in in-transaction handlers, registered the same way as ``lms.handlers`` plugins."""

from lms.handlers.admin_audit import AdminAuditHandler
from lms.handlers.assignment_sync import AssignmentSyncHandler
from lms.handlers.certificates import CertificateHandler
from lms.handlers.course_completion import CourseCompletionHandler
from lms.handlers.hours_ledger import HoursLedgerHandler
from lms.handlers.stats_counters import StatsCountersHandler

# Certificates follow the 学时 ledger (they copy its hours); the counters come last: they
# count what the other handlers wrote.
BUILTIN_HANDLERS = (CourseCompletionHandler, AssignmentSyncHandler, AdminAuditHandler,
                    HoursLedgerHandler, CertificateHandler, StatsCountersHandler)

__all__ = ["AdminAuditHandler", "AssignmentSyncHandler", "BUILTIN_HANDLERS", "CertificateHandler",
           "CourseCompletionHandler", "HoursLedgerHandler", "StatsCountersHandler"]
