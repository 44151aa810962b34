"""Questions grounded in the text: the ``cite:`` a question may write, and whether its
module's text still holds it.

A cite is a verbatim span of the module's Markdown text (without its quiz). Whitespace is
ignored when comparing, so a passage copied across a line break, or from the rendered page
where a line break became a space, still matches.

Why a cite that is not in the text is a warning, not a problem: a new version that rewords
a cited passage must still be publishable (the trainer may be mid-way through a large edit,
and refusing the whole course over one quiz question would block the fix of everything
else). Such a question is listed as needing review instead, until a later version fixes its
cite or its text; the check is the same function, on files (``citation_warnings``) and on
the published rows (lms.services.needs_review).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l

if TYPE_CHECKING:
    from lms.content.loader import ModuleFile, Problem

#: A passage, not the whole module: long enough for a paragraph, short enough to show.
MAX_CITE_CHARS = 500
WHITESPACE = re.compile(r"\s+")


class CiteError(ValueError):
    """The ``cite:`` value is not a usable passage (not text, empty, too long). ``message``
    is a lazy msgid: it reads in the language of wherever the problem is shown."""

    def __init__(self, message: Any):
        super().__init__(message)
        self.message = message


def read_cite(value: Any) -> str:
    """Return the cite as stored (stripped), or raise ``CiteError`` saying why not."""
    if not isinstance(value, str) or not value.strip():
        raise CiteError(_l("must be non-empty text, a passage quoted from the module"))
    value = value.strip()
    if len(value) > MAX_CITE_CHARS:
        raise CiteError(_l("is longer than %(count)s characters: quote one passage",
                           count=MAX_CITE_CHARS))
    return value


def _squeezed(text: str) -> str:
    return WHITESPACE.sub("", text)


def cite_found(cite: str, text: str) -> bool:
    """Whether ``cite`` occurs in ``text``, whitespace ignored."""
    return _squeezed(cite) in _squeezed(text)


def citation_warnings(modules: list[ModuleFile]) -> list[Problem]:
    """One warning per question whose cite is not in its module's text, at the cite's line."""
    from lms.content.loader import Problem

    warnings = []
    for module in modules:
        for number, question in enumerate(module.questions, start=1):
            if question.cite is not None and not cite_found(question.cite, module.source):
                warnings.append(Problem(
                    question.path or module.path, question.cite_line,
                    _l("question %(number)s (%(key)s): cite: the passage is not in the "
                       "module's text; the question needs review", number=number,
                       key=question.key)))
    return warnings
