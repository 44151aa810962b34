"""Stable question keys and content hashes, without the database.

A question's key is its identity within a course: the ``id:`` written in the course file, or
else one derived from the module slug and a hash of the normalised prompt. Deriving from the
prompt rather than the position means reordering questions keeps their identity; rewording a
question without an ``id:`` makes it a new question (give it an ``id:`` to keep its history).
Two questions of a module with the same prompt are told apart by order: ``-2``, ``-3``...

Migration 0005 holds a frozen copy of these rules; change them only with a migration.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

#: A written ``id:``; derived keys contain "/", so the two can never collide.
QUESTION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
#: A key derived here (file or bank), as an exported course writes it back in ``id:`` so that
#: re-importing the files maps onto the same question.
DERIVED_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}/(bank-)?[0-9a-f]{10}(-[1-9][0-9]{0,5})?$")


def is_question_key(value: str) -> bool:
    """Whether ``value`` may be written as a question's ``id:``."""
    return bool(QUESTION_ID.match(value) or DERIVED_KEY.match(value))


def normalise_prompt(prompt: str) -> str:
    """Full-width/half-width and spacing differences do not make a different question."""
    return " ".join(unicodedata.normalize("NFKC", prompt).split())


def _prompt_hash(prompt: str) -> str:
    return hashlib.sha256(normalise_prompt(prompt).encode("utf-8")).hexdigest()[:10]


def derived_keys(module_slug: str, prompts: Iterable[str], prefix: str = "") -> list[str]:
    """Keys for a module's questions in order; same prompts get ``-2``, ``-3``..."""
    keys, seen = [], {}
    for prompt in prompts:
        base = f"{module_slug}/{prefix}{_prompt_hash(prompt)}"
        seen[base] = seen.get(base, 0) + 1
        keys.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return keys


def bank_key(module_slug: str, prompt: str, taken: set[str]) -> str:
    """A key for an imported question, distinct from file questions' and from ``taken``."""
    base = derived_keys(module_slug, [prompt], prefix="bank-")[0]
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key


def content_hash(value: Any) -> str:
    """SHA-256 of canonical JSON: equal content gives an equal hash on any backend."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
