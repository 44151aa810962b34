"""Per-app registries for the extension points, filled from built-ins then entry points.

Built-ins are registered first so the library works from a source checkout; an entry point
that names the very same class is then skipped, while a different class under a taken name
stops start-up, because silently shadowing a question type would regrade past attempts.
"""

from __future__ import annotations

import logging
from importlib.metadata import EntryPoint, entry_points
from typing import NamedTuple

from lms import __version__
from lms.questions import BUILTIN_TYPES, QuestionType

QUESTION_TYPES_GROUP = "lms.question_types"

log = logging.getLogger(__name__)


#: Where the library's own types, listeners and handlers come from, for ``flask lms plugins``.
BUILTIN_SOURCE = f"lms {__version__} (built-in)"


class PluginEntry(NamedTuple):
    """One registered extension: its kind ("question_type", "listener", …), name and source."""

    kind: str
    name: str
    source: str  # "lms 0.1.0 (built-in)" or the distribution's "name version"


def entry_point_source(entry_point: EntryPoint) -> str:
    dist = entry_point.dist
    return f"{dist.name} {dist.version}" if dist is not None else entry_point.value


class DuplicatePluginError(RuntimeError):
    pass


class QuestionTypeRegistry:
    def __init__(self) -> None:
        self._types: dict[str, QuestionType] = {}
        self._sources: dict[str, str] = {}

    def register(self, question_type: type[QuestionType], source: str = "") -> None:
        """Add a type; ``source`` says where it came from (default: its module)."""
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
        self._sources[name] = source or f"{question_type.__module__} (registered in code)"

    def get(self, name: str) -> QuestionType | None:
        return self._types.get(name)

    def __getitem__(self, name: str) -> QuestionType:
        return self._types[name]

    def __contains__(self, name: str) -> bool:
        return name in self._types

    def names(self) -> list[str]:
        return sorted(self._types)

    def types(self) -> list[QuestionType]:
        """Every type in registration order (built-ins first), e.g. to list what a file may use."""
        return list(self._types.values())

    def entries(self) -> list[PluginEntry]:
        """Each type with the distribution it came from, for ``flask lms plugins``."""
        return [PluginEntry("question_type", name, source) for name, source in self._sources.items()]

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
        registry.register(builtin, BUILTIN_SOURCE)
    for entry_point in entry_points(group=QUESTION_TYPES_GROUP):
        loaded = entry_point.load()
        if getattr(loaded, "name", None) != entry_point.name:
            raise DuplicatePluginError(
                f"entry point {entry_point.name!r} loads a type named {loaded.name!r}"
            )
        registry.register(loaded, entry_point_source(entry_point))
    return registry
