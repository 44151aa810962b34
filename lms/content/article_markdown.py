"""Write an imported article's parts as course files: Markdown that shows the text as written.

An article is plain text, not Markdown: a paragraph opening with "1. ", "- ", "#", "```" or
"[1]: " would turn into a list, a rule, a heading, a code block (a ```quiz block, even) or
vanish as a link definition. Only those openings (and raw HTML tags) are escaped, so the
Markdown source stays the article's text a question can quote.
"""

from __future__ import annotations

import math
import re

import yaml

LIST_NUMBER = re.compile(r"^(\d+)([.)])(?=\s|$)")
LINK_DEFINITION = re.compile(r"^\[[^\]]*\]:")
RAW_HTML = re.compile(r"<(?=[A-Za-z/!?])")
BACKSLASH_ESCAPABLE = "#>-+*_`\\"
ENTITY_ESCAPED = {"~": "&#126;", ":": "&#58;", "|": "&#124;"}
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
WORD = re.compile(r"[A-Za-z0-9]+")
#: Reading speed for the ``minutes`` estimate: about 400 Chinese characters a minute; a
#: Latin word (or number) counts as two characters.
CHARACTERS_A_MINUTE = 400
MAX_MINUTES = 600


def escape_inline(text: str) -> str:
    return RAW_HTML.sub("&lt;", text)


def escape_paragraph(text: str) -> str:
    text = escape_inline(text)
    match = LIST_NUMBER.match(text)
    if match:
        return f"{match.group(1)}\\{text[len(match.group(1)):]}"
    if LINK_DEFINITION.match(text):
        return "\\" + text
    first = text[:1]
    if first in BACKSLASH_ESCAPABLE:
        return "\\" + text
    if first in ENTITY_ESCAPED:
        return ENTITY_ESCAPED[first] + text[1:]
    return text


def heading(depth: int, text: str) -> str:
    text = escape_inline(text)
    if text.endswith("#"):  # closing hashes would be dropped
        text = text[:-1] + "\\#"
    return f"{'#' * min(max(depth, 2), 6)} {text}"


def bullet_list(items: list[str] | tuple[str, ...]) -> str:
    return "\n".join(f"- {escape_inline(item)}" for item in items)


def emphasis(text: str) -> str:
    return "*" + escape_inline(text).replace("*", "\\*") + "*"


def minutes(texts: list[str]) -> int:
    joined = "\n".join(texts)
    units = len(CJK.findall(joined)) + 2 * len(WORD.findall(joined))
    return min(MAX_MINUTES, max(1, math.ceil(units / CHARACTERS_A_MINUTE)))


def _yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


def module_file(slug: str, title: str, minutes_: int, parts: list[str]) -> str:
    front = _yaml({"slug": slug, "title": title, "minutes": minutes_})
    return f"---\n{front}---\n\n" + "\n\n".join(parts) + "\n"


def course_file(slug: str, title: str, description: str, names: list[str]) -> str:
    data: dict = {"slug": slug, "title": title}
    if description:
        data["description"] = description
    data["published"] = False  # a draft: invisible to trainees until it is published
    data["modules"] = names
    return _yaml(data)
