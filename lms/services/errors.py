"""Domain errors; each blueprint maps them to a 4xx page or JSON body in one handler."""

from __future__ import annotations


class DomainError(Exception):
    status = 400


class NotFound(DomainError):
    status = 404


class PermissionDenied(DomainError):
    status = 403


class Unanswered(DomainError):
    """A quiz was submitted with questions left blank; ``numbers`` are 1-based."""

    def __init__(self, numbers: list[int]):
        super().__init__(f"unanswered questions: {numbers}")
        self.numbers = numbers


class InvalidInput(DomainError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class EventHandlingFailed(DomainError):
    """An in-transaction handler failed: the whole change was rolled back, nothing half-kept."""

    status = 503

    def __init__(self, handler: str, event: str):
        super().__init__(f"handler {handler!r} failed on {event!r}; nothing was saved")
        self.handler = handler
        self.event = event
