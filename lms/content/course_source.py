"""The pieces the course loader reads with: where course files come from (a folder or a
mapping of names), YAML documents that remember the line of every key, and the checks of
course.yml's scalar settings, each reporting a ``Problem`` at ``path:line``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from flask_babel import lazy_gettext as _l

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


@dataclass(frozen=True)
class Problem:
    """A problem in a course file. ``message`` is a lazy msgid (``lazy_gettext``), so it reads
    in the language of wherever it is shown: the web page's, or ``LMS_DEFAULT_LOCALE`` in the
    CLI; English outside both."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class FolderSource:
    """Course files read from a folder on disk."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, name: str) -> Path:
        return self.root / name

    def read(self, name: str) -> bytes | None:
        path = self.root / name
        return path.read_bytes() if path.is_file() else None

    def unused(self, used: set[str]) -> list[str]:
        return []  # a folder may hold notes, images, drafts: only listed files are read


class MappingSource(FolderSource):
    """Course files held in memory, named relative to the course folder."""

    def __init__(self, files: Mapping[str, bytes | str]):
        super().__init__(Path())
        self.files = {name: data.encode("utf-8") if isinstance(data, str) else data
                      for name, data in files.items()}

    def path(self, name: str) -> Path:
        return Path(name)

    def read(self, name: str) -> bytes | None:
        return self.files.get(name)

    def unused(self, used: set[str]) -> list[str]:
        """An uploaded course is complete: a file it does not use is a mistake worth naming."""
        return sorted(set(self.files) - used)


class YamlDoc:
    """A parsed YAML document that remembers the line of every mapping key and list item."""

    def __init__(self, text: str, path: Path, first_line: int = 1):
        self.path = path
        self.offset = first_line - 1
        loader = yaml.SafeLoader(text)
        try:
            self.node = loader.get_single_node()
            self.data = loader.construct_document(self.node) if self.node is not None else None
        finally:
            loader.dispose()

    def line(self, node: yaml.Node | None) -> int:
        return (node.start_mark.line + 1 + self.offset) if node is not None else self.offset + 1

    @staticmethod
    def child(node: yaml.Node | None, key: str | int) -> yaml.Node | None:
        if isinstance(node, yaml.MappingNode) and isinstance(key, str):
            for key_node, value_node in node.value:
                if key_node.value == key:
                    return value_node
        if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            return node.value[key]
        return None


def parse_yaml(text: str, path: Path, problems: list[Problem],
               first_line: int = 1) -> YamlDoc | None:
    try:
        return YamlDoc(text, path, first_line)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = (mark.line + first_line) if mark is not None else first_line
        reason = getattr(error, "problem", None) or str(error)
        problems.append(Problem(path, line, _l("invalid YAML: %(reason)s", reason=reason)))
        return None


def check_keys(doc: YamlDoc, node, allowed: set[str], problems: list[Problem]) -> None:
    if not isinstance(node, yaml.MappingNode):
        return
    for key_node, _ in node.value:
        if key_node.value not in allowed:
            problems.append(Problem(doc.path, doc.line(key_node),
                                    _l("unknown key %(key)r", key=key_node.value)))


def whole_number(value: Any, low: int, high: int | None) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool) and value >= low
            and (high is None or value <= high))


def text_value(doc: YamlDoc, data: dict, key: str, problems: list[Problem], *, required: bool,
          limit: int) -> str:
    value = data.get(key)
    line = doc.line(doc.child(doc.node, key))
    if value is None or value == "":
        if required:
            problems.append(Problem(doc.path, line, _l("%(key)s is required", key=key)))
        return ""
    if not isinstance(value, str):
        problems.append(Problem(doc.path, line, _l("%(key)s must be text", key=key)))
        return ""
    if len(value) > limit:
        problems.append(Problem(doc.path, line, _l("%(key)s is longer than %(limit)s characters",
                                                   key=key, limit=limit)))
    return value.strip()


def slug_value(doc: YamlDoc, data: dict, problems: list[Problem]) -> str:
    slug = data.get("slug")
    if not isinstance(slug, str) or not SLUG.match(slug):
        problems.append(Problem(doc.path, doc.line(doc.child(doc.node, "slug")),
                                _l("slug must be lowercase letters, digits and hyphens")))
        return ""
    return slug


def pass_mark_value(doc: YamlDoc, data: dict, problems: list[Problem]) -> int | None:
    value = data.get("pass_mark")
    if value is not None and not whole_number(value, 0, 100):
        problems.append(Problem(doc.path, doc.line(doc.child(doc.node, "pass_mark")),
                                _l("pass_mark must be a whole number from 0 to 100")))
        return None
    return value
