"""Whatever a browser posts, a type's parse_response answers "unanswered" or a response,
never an exception (a 500 for the trainee)."""

from __future__ import annotations

import pytest

from lms.plugins import load_question_types

REGISTRY = load_question_types()
ODD = ["²", "١", "１", "-1", "1e3", "", " ", "0x1", "9" * 30, "\x00", "１２"]


@pytest.mark.parametrize("type_name", sorted(t.name for t in REGISTRY.types()))
@pytest.mark.parametrize("value", ODD)
def test_odd_values_never_raise(type_name, value):
    question_type = REGISTRY[type_name]
    for values in ([value], [value, value], ["0", value], [value, "1", "2"]):
        question_type.parse_response(values)
