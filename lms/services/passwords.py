"""Password hashes: one method for the site (``LMS_PASSWORD_HASH_METHOD``), upgraded at sign-in.

The default, ``scrypt:131072:8:1`` (N=2**17, r=8, p=1), is the OWASP Password Storage Cheat
Sheet's setting for scrypt; Werkzeug 3's own default is N=2**15, a quarter of that work.
OWASP prefers Argon2id, but that needs argon2-cffi, a compiled dependency; scrypt comes with
Python's hashlib through Werkzeug, costs nothing new, and is the cheat sheet's next choice.
One hash takes about 0.4 s of CPU and 128 MiB of memory (Werkzeug lets hashlib have it:
``maxmem = 132·N·r·p``), and is stored as 163 characters, within ``users.password_hash``'s 255.

A method is spelt in full (no bare ``scrypt``), so a stored hash's prefix says exactly
whether it was made with today's method; ``needs_rehash`` compares the two.
"""

from __future__ import annotations

import re
import secrets
from functools import cache

from flask import current_app, has_app_context
from werkzeug.security import generate_password_hash

OWASP_METHOD = "scrypt:131072:8:1"
_METHOD = re.compile(r"scrypt:(\d+):(\d+):(\d+)|pbkdf2:sha(?:256|512):(\d+)")

#: One-time passwords are random (12 of 54 characters, about 69 bits) and replaced at the
#: first sign-in, so a slow hash adds no safety to them; a cheap one lets an import of a
#: thousand people confirm in a second instead of holding the write lock for minutes.
ONE_TIME_HASH_METHOD = "pbkdf2:sha256:1000"


def check_method(method: str) -> str:
    """Return ``method`` if Werkzeug can hash with it as spelt, else raise ValueError."""
    match = _METHOD.fullmatch(method)
    if match is None:
        raise ValueError(f"LMS_PASSWORD_HASH_METHOD must be like {OWASP_METHOD!r} or "
                         f"'pbkdf2:sha256:600000', not {method!r}")
    n, r, p, iterations = (int(group) if group else None for group in match.groups())
    if n is not None and (n < 2 or n & (n - 1) or r < 1 or p < 1):
        raise ValueError(f"scrypt needs N a power of two and r, p at least 1: {method!r}")
    if iterations is not None and iterations < 1:
        raise ValueError(f"pbkdf2 needs at least one iteration: {method!r}")
    return method


def current_method() -> str:
    """The app's method; outside an app (scripts, plain service tests) the OWASP one."""
    if has_app_context():
        return current_app.config.get("LMS_PASSWORD_HASH_METHOD") or OWASP_METHOD
    return OWASP_METHOD


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_method())


def hash_one_time_password(password: str) -> str:
    return generate_password_hash(password, method=ONE_TIME_HASH_METHOD)


def needs_rehash(hashed: str) -> bool:
    """Whether ``hashed`` was made with another method or other parameters than today's."""
    return hashed.split("$", 1)[0] != current_method()


def dummy_hash() -> str:
    """A hash of nothing anyone knows, in today's method, so checking an unknown username
    costs what checking a real one does."""
    return _dummy_hash(current_method())


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_hex(16), method=method)
