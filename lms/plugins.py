"""Per-app registries for the extension points, filled from built-ins then entry points.

Built-ins are registered first so the library works from a source checkout; an entry point
that names the very same class is then skipped, while a different class under a taken name
stops start-up, because silently shadowing a question type would regrade past attempts.
"""

from __future__ import annotations

import logging
from importlib.metadata import entry_points
from typing import Any

from lms.questions import BUILTIN_TYPES, QuestionType

QUESTION_TYPES_GROUP = "lms.question_types"
LISTENERS_GROUP = "lms.listeners"

log = logging.getLogger(__name__)


class DuplicatePluginError(RuntimeError):
    pass


class QuestionTypeRegistry:
    def __init__(self) -> None:
        self._types: dict[str, QuestionType] = {}

    def register(self, question_type: type[QuestionType]) -> None:
        name = question_type.name
        existing = self._types.get(name)
        if existing is not None:
            if type(existing) is question_type:
                return
            raise DuplicatePluginError(
                f"question type {name!r} is registered by both "
                f"{type(existing).__module__}.{type(existing).__qualname__} and "
                f"{question_type.__module__}.{question_type.__qualname__}"
            )
        if not isinstance(question_type, type) or not issubclass(question_type, QuestionType):
            raise TypeError(f"{question_type!r} is not a QuestionType subclass")
        self._types[name] = question_type()

    def get(self, name: str) -> QuestionType | None:
        return self._types.get(name)

    def __getitem__(self, name: str) -> QuestionType:
        return self._types[name]

    def __contains__(self, name: str) -> bool:
        return name in self._types

    def names(self) -> list[str]:
        return sorted(self._types)

    def template_folders(self) -> list[str]:
        """Plugin template folders, in registration order, without repeats."""
        folders: list[str] = []
        for question_type in self._types.values():
            folder = question_type.template_folder
            if folder and folder not in folders:
                folders.append(folder)
        return folders


def load_question_types() -> QuestionTypeRegistry:
    registry = QuestionTypeRegistry()
    for builtin in BUILTIN_TYPES:
        registry.register(builtin)
    for entry_point in entry_points(group=QUESTION_TYPES_GROUP):
        loaded = entry_point.load()
        if getattr(loaded, "name", None) != entry_point.name:
            raise DuplicatePluginError(
                f"entry point {entry_point.name!r} loads a type named {loaded.name!r}"
            )
        registry.register(loaded)
    return registry


def load_listeners() -> list[Any]:
    """Instantiate every ``lms.listeners`` entry point once per app."""
    listeners = []
    seen: set[str] = set()
    for entry_point in entry_points(group=LISTENERS_GROUP):
        if entry_point.name in seen:
            raise DuplicatePluginError(f"listener {entry_point.name!r} is declared twice")
        seen.add(entry_point.name)
        listeners.append(entry_point.load()())
    return listeners
