"""Details every question may carry, whatever its type: a name, a 知识点, a difficulty, and
the format of its prompt when it is not plain text.

They come from GIFT (``::title::``, ``$CATEGORY:``, ``[html]``), from the Excel 难度 and 知识点
columns, from course files and from the browser form, and they live beside the type's own
definition (``Question.details``), so no type has to know about them. A question without
any has none stored, and its content hash stays what it was before details existed.
"""

from __future__ import annotations

import html
from typing import Any

import nh3
from markupsafe import Markup, escape

from lms.content.markdown import render_markdown, sanitize_html
from lms.problems import SpecError

KEYS = ("title", "topic", "difficulty", "format")
#: Written values, and the words trainers use for them (Excel 难度 cells, course files).
DIFFICULTIES = {
    "easy": ("easy", "易", "容易", "简单", "低", "1"),
    "medium": ("medium", "中", "中等", "一般", "适中", "2"),
    "hard": ("hard", "难", "困难", "较难", "高", "3"),
}
#: How a prompt is shown: plain text unless it came as GIFT ``[html]`` or ``[markdown]``.
FORMATS = ("html", "markdown")
LIMITS = {"title": 200, "topic": 100}


def read_difficulty(text: str) -> str | None:
    """"easy", "medium" or "hard" for a word a trainer may write, None if it is none of them."""
    word = str(text).strip().lower()
    return next((value for value, words in DIFFICULTIES.items() if word in words), None)


def read_details(raw: dict[str, Any]) -> dict[str, str]:
    """The details a definition gives, normalised; ``SpecError`` names a bad one."""
    details = {}
    for key in ("title", "topic"):
        value = raw.get(key)
        if value in (None, ""):
            continue
        if not isinstance(value, str) or len(value.strip()) > LIMITS[key]:
            raise SpecError(key, "must be text of at most %(n)s characters", n=LIMITS[key])
        if value.strip():
            details[key] = " ".join(value.split())
    if raw.get("difficulty") not in (None, ""):
        difficulty = read_difficulty(raw["difficulty"])
        if difficulty is None:
            raise SpecError("difficulty", "must be easy, medium or hard")
        details["difficulty"] = difficulty
    if raw.get("format") not in (None, "", "plain"):
        if raw["format"] not in FORMATS:
            raise SpecError("format", "must be html, markdown or plain")
        details["format"] = raw["format"]
    return details


def split_details(spec: dict[str, Any]) -> dict[str, str] | None:
    """The details of a normalised spec, or None when it has none (what is stored)."""
    return {key: spec[key] for key in KEYS if spec.get(key)} or None


def prompt_html(spec: dict[str, Any], text: str | None = None) -> Markup:
    """A prompt (or a piece of one, ``text``) as trainees see it: an HTML or Markdown prompt
    through the sanitizer, plain text escaped."""
    text = spec["prompt"] if text is None else text
    kind = spec.get("format")
    if kind == "html":
        return sanitize_html(text)
    if kind == "markdown":
        return render_markdown(text)
    return escape(text)


def prompt_text(spec: dict[str, Any]) -> str:
    """A prompt as one line of plain text, for lists, the grading queue and exports."""
    text = spec["prompt"]
    if spec.get("format") in FORMATS:
        rendered = str(prompt_html(spec))
        text = html.unescape(nh3.clean(rendered, tags=set()))
    return " ".join(text.split())
