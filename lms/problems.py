"""Problems a person reads, raised deep in code that has no request: file readers, types.

The message is an English msgid with ``%(name)s`` placeholders (extracted by ``make
messages``, see babel.cfg keywords), so ``str()`` is the English text for logs and the CLI
and ``translated()`` is the text in the page's language.
"""

from __future__ import annotations

from typing import Any


class Problem(ValueError):
    def __init__(self, message: str, **params: Any):
        super().__init__(message % params if params else message)
        self.msgid, self.params = message, params

    def translated(self) -> str:
        from flask_babel import gettext  # outside a request it falls back to English

        params = {key: value.translated() if isinstance(value, Problem) else value
                  for key, value in self.params.items()}
        return gettext(self.msgid, **params)


class SpecError(Problem):
    """A question definition is invalid; ``field`` names the offending key. ``message`` is
    the problem in English (lms.questions.base re-exports this class)."""

    def __init__(self, field: str, message: str, **params: Any):
        super().__init__(message, **params)
        self.field = field
        self.message = message % params if params else message

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"
