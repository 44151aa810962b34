"""The form a question type is edited with in the browser, described as data.

Trainers are not programmers, so a question is edited through fields rather than YAML. A
type describes its fields (``QuestionType.form_fields``) and the LMS builds the page; the
values go back through the type's own ``load_spec``, so the form never accepts what a
course file would refuse. A plugin type that describes nothing still gets a working form
from its ``keys``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

#: text: one line; textarea: several lines kept as one text; lines: one item per line (a
#: list); integer: a whole number; choice: one of ``choices``.
KINDS = ("text", "textarea", "lines", "integer", "choice")
#: Keys every question may write that are the loader's, not the type's (lms.content.loader).
NOT_TYPE_KEYS = frozenset({"type", "id", "cite"})
ORDER = ("prompt", "options", "answer", "explanation", "points", "topic", "difficulty",
         "title", "format")


class FormValueError(ValueError):
    """A typed value cannot become the field's value; ``field`` names it, as SpecError does."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class FormField:
    """One field of a question's form; ``name`` is the key it writes in the definition.

    ``choices`` (for ``choice``) are (value written, label shown) pairs.
    """

    name: str
    kind: str = "text"
    label: Any = ""
    help: Any = ""
    required: bool = False
    choices: tuple[tuple[str, Any], ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"form field {self.name!r}: kind must be one of {KINDS}")
        if (self.kind == "choice") != bool(self.choices):
            raise ValueError(f"form field {self.name!r}: choices go with kind 'choice' only")


def default_field(key: str) -> FormField:
    """What a key usually holds; a key LMS does not know is one line of text."""
    defaults = {
        "prompt": FormField("prompt", "textarea", _l("Question"), required=True),
        "options": FormField("options", "lines", _l("Options"),
                             _l("One option per line; the first is A, the next B, and so on.")),
        "answer": FormField("answer", "text", _l("Answer")),
        "explanation": FormField("explanation", "textarea", _l("Explanation"),
                                 _l("Shown to trainees after they submit.")),
        "points": FormField("points", "integer", _l("Points"),
                            _l("A whole number; 1 when left empty.")),
        "topic": FormField("topic", "text", _l("Knowledge point"),
                           _l("The topic it checks, such as 党章; item analysis and exports "
                              "group by it. May be left empty.")),
        "difficulty": FormField("difficulty", "choice", _l("Difficulty"), choices=(
            ("", _l("Not set")), ("easy", _l("Easy")), ("medium", _l("Medium")),
            ("hard", _l("Hard")))),
        "title": FormField("title", "text", _l("Name"),
                           _l("A short name trainers see in lists (GIFT ::name::); trainees "
                              "do not see it. May be left empty.")),
        "format": FormField("format", "choice", _l("Question text format"), choices=(
            ("", _l("Plain text")), ("markdown", "Markdown"), ("html", "HTML")),
            help=_l("HTML and Markdown are shown through the sanitizer: scripts, styles "
                    "and frames are removed.")),
    }
    return defaults.get(key) or FormField(key, "text", key)


def default_fields(keys: Iterable[str]) -> list[FormField]:
    """The fields for a type's keys: the usual ones in their usual order, then the rest."""
    keys = set(keys) - NOT_TYPE_KEYS
    names = [k for k in ORDER if k in keys] + sorted(keys - set(ORDER))
    return [default_field(name) for name in names]


def replace_fields(fields: list[FormField], *changed: FormField,
                   drop: Iterable[str] = ()) -> list[FormField]:
    """``fields`` with those of the same name swapped for ``changed`` and ``drop`` left out."""
    by_name = {field.name: field for field in changed}
    return [by_name.get(field.name, field) for field in fields if field.name not in set(drop)]


def values_from_written(fields: list[FormField], written: Mapping[str, Any]) -> dict[str, str]:
    """The text each field shows for a definition as a course file writes it."""
    values = {}
    for field in fields:
        value = written.get(field.name)
        if value is None:
            values[field.name] = ""
        elif field.kind == "lines" and isinstance(value, list):
            values[field.name] = "\n".join(
                "|".join(map(str, item)) if isinstance(item, list) else str(item)
                for item in value)
        elif isinstance(value, bool):
            values[field.name] = "true" if value else "false"
        else:
            values[field.name] = str(value)
    return values


def written_from_values(fields: list[FormField], values: Mapping[str, str]) -> dict[str, Any]:
    """The definition the typed values make; an empty field is left out, as in a file."""
    raw: dict[str, Any] = {}
    for field in fields:
        text = (values.get(field.name) or "").replace("\r\n", "\n").replace("\r", "\n")
        if field.kind == "lines":
            items = [line.strip() for line in text.split("\n") if line.strip()]
            if items:
                raw[field.name] = items
        elif field.kind == "integer":
            text = text.strip()
            if text and not (text.isascii() and text.lstrip("-").isdigit()):
                raise FormValueError(field.name, "must be a whole number")
            if text:
                raw[field.name] = int(text)
        elif text.strip():
            raw[field.name] = text.strip()
    return raw
