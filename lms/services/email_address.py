"""What the people forms, the people import and the CLI accept as an e-mail address.

Deliberately simple: one ``@`` with something before it and a dotted domain after it, no
spaces, at most 200 characters (the column). Whether the mailbox exists only a sent mail can
tell; this catches the typing mistakes (a missing ``@``, a comma, a Chinese full stop).
"""

from __future__ import annotations

import re

EMAIL_MAX = 200
EMAIL = re.compile(r"[^@\s,;，；。]+@[^@\s,;，；。]+\.[^@\s,;，；。.]+")


def is_email(text: str) -> bool:
    return len(text) <= EMAIL_MAX and EMAIL.fullmatch(text) is not None
