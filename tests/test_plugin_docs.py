"""docs/plugins.md keeps up with the extension points the library actually offers."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

from lms.events import EVENT_TYPES
from lms.questions.base import QuestionType

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "plugins.md"
EXAMPLE = (Path(__file__).resolve().parent / "plugins" / "lms-likert-plugin" / "lms_likert"
           / "__init__.py")


def declared_groups() -> list[str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "setup.cfg", encoding="utf-8")
    return [group for group in parser["options.entry_points"] if group.startswith("lms.")]


def test_every_entry_point_group_has_a_section():
    groups = declared_groups()
    assert {"lms.question_types", "lms.listeners"} <= set(groups)
    text = DOC.read_text("utf-8")
    missing = [g for g in groups
               if not re.search(rf"^## {re.escape(g)}[ \t]*$", text, re.MULTILINE)]
    assert not missing, f"docs/plugins.md has no '## <group>' section for {missing}"


def test_every_event_is_documented():
    assert len(EVENT_TYPES) >= 7, "lms.events declares too few events"
    text = DOC.read_text("utf-8")
    missing = sorted(name for name, event in EVENT_TYPES.items()
                     if f"`{name}`" not in text or f"`{event.__name__}`" not in text)
    assert not missing, f"docs/plugins.md does not document the events {missing}"


def test_the_example_in_the_doc_is_the_tested_plugin():
    """The likert listing is the module built in test_plugin_distribution, minus its docstring."""
    source = EXAMPLE.read_text("utf-8")
    body = source.split('"""', 2)[2].lstrip("\n")
    listings = re.findall(r"^```python\n(.*?)^```", DOC.read_text("utf-8"), re.S | re.M)
    assert body in listings, "update the lms_likert/__init__.py listing in docs/plugins.md"


def test_every_question_type_attribute_and_method_is_documented():
    """A plugin author learns the whole contract from the doc: each class attribute and public
    method of QuestionType is named there in backticks."""
    names = {name for name in (*vars(QuestionType), *QuestionType.__annotations__)
             if not name.startswith("_")}
    text = DOC.read_text("utf-8")
    missing = sorted(n for n in names if f"`{n}`" not in text and f"`{n}(" not in text)
    assert not missing, f"docs/plugins.md does not document QuestionType.{missing}"
