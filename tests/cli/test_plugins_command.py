"""`flask lms plugins`: what the app loaded, each with the distribution it came from."""

from __future__ import annotations

import json

from lms import __version__

BUILTIN_TYPES = ("single_choice", "multiple_choice", "true_false", "fill_blank", "ordering",
                 "short_answer")
BUILTIN = f"lms {__version__} (built-in)"


def test_plugins_lists_every_builtin_type_with_its_source(runner):
    result = runner.invoke(args=["lms", "plugins"])
    assert result.exit_code == 0, result.output
    rows = [line.split(None, 2) for line in result.output.splitlines()]
    for name in BUILTIN_TYPES:
        assert ["question_type", name, BUILTIN] in rows, result.output


def test_plugins_json_gives_kind_name_and_source(runner):
    result = runner.invoke(args=["lms", "plugins", "--json"])
    assert result.exit_code == 0, result.output
    entries = json.loads(result.output)
    assert all(set(entry) == {"kind", "name", "source"} for entry in entries)
    types = {e["name"]: e["source"] for e in entries if e["kind"] == "question_type"}
    assert {name: types.get(name) for name in BUILTIN_TYPES} == dict.fromkeys(BUILTIN_TYPES,
                                                                              BUILTIN)
    assert [e["name"] for e in entries][:len(BUILTIN_TYPES)] == list(BUILTIN_TYPES)
