"""Built-in after-commit listeners, registered the same way as ``lms.listeners`` plugins."""

from lms.listeners.audit_log import AuditLogListener

BUILTIN_LISTENERS = (AuditLogListener,)

__all__ = ["AuditLogListener", "BUILTIN_LISTENERS"]
