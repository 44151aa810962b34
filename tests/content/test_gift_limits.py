"""GIFT uploads are bounded before parsing: 5 MB of tiny questions, or one question with
millions of answers, is refused at once instead of holding a worker for a minute."""

from __future__ import annotations

import tracemalloc

import pytest

from lms.content import gift
from lms.content.gift import GiftTooLarge, parse_gift
from lms.plugins import load_question_types

REGISTRY = load_question_types()
FIVE_MB = 5 * 1024 * 1024


@pytest.mark.parametrize(("text", "message"), [
    ("Q{=a ~b}\n\n" * (FIVE_MB // 11), "more than 200000 lines"),
    ("Q{=a ~b}\n\n" * 2001, "more than 2000 questions"),
    ("Q{" + "~a" * (FIVE_MB // 2) + "}", "Line 1: the question is longer than 32767"),
    ("Q0{T}\n\nQ{" + "~a" * 101 + "}", "Line 3: the question has more than 100 answers"),
    ("Q{" + "~[" * 16_000 + "}", "more than 100 answers"),
])
def test_hostile_gift_files_are_refused_before_parsing(text, message):
    tracemalloc.start()
    try:
        with pytest.raises(GiftTooLarge, match=message):
            parse_gift(text, REGISTRY)
        assert tracemalloc.get_traced_memory()[1] < 20 * 1024 * 1024
    finally:
        tracemalloc.stop()


def test_a_file_at_the_bounds_still_imports():
    answers = "=" + "a" * 10 + "".join(f" ~b{n}" for n in range(gift.MAX_ANSWERS - 1))
    text = "\n\n".join(f"题{n}{{{answers}}}" for n in range(gift.MAX_QUESTIONS))
    result = parse_gift(text, REGISTRY)
    assert len(result.questions) + len(result.skipped) == gift.MAX_QUESTIONS
