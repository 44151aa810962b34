"""The shape of an imported article: title, overview, sections and subsections, references.

One rule makes the modules (docs/authoring.md). The heading styles an article uses are ranked
outermost first: level 1 is a section, level 2 a subsection, deeper levels stay headings
inside their module. A section without subsections is one module; a section with
subsections gives one module per subsection, the section's heading and opening text starting
the first. 摘要 and 关键词 (and anything else before the first heading) make the overview;
参考文献 and all after it end the last module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lms.content.article_headings import STYLE_ORDER, Heading, Special, parse_heading, parse_special
from lms.content.article_source import ArticleWarning, SourceLine

MAX_TITLE_CHARS = 100


@dataclass
class Block:
    kind: str  # "heading", "paragraph", "special", "keywords", "title" or "note"
    line: int
    text: str
    heading: Heading | None = None
    special: Special | None = None
    rank: int = 0   # heading style rank; becomes ``level`` (1 = section) once all are known
    level: int = 0
    items: tuple[str, ...] = ()


@dataclass
class Part:
    heading: Block | None
    blocks: list[Block] = field(default_factory=list)
    subs: list[Part] = field(default_factory=list)


@dataclass
class Planned:
    slug: str
    title: str
    blocks: list[Block]


def classify(lines: list[SourceLine], styled: bool) -> list[Block]:
    """Each line as a heading, a 摘要/关键词/参考文献 marker, a title or a paragraph; headings
    get their level: the outermost style the article uses is 1."""
    blocks: list[Block] = []
    in_references = False
    for line in lines:
        special = None if in_references else parse_special(line.text)
        if in_references:
            blocks.append(Block("paragraph", line.number, line.text))
        elif special is not None:
            blocks.append(Block("special", line.number, line.text, special=special))
            in_references = special.kind == "references"
        elif line.style_level == 0:
            blocks.append(Block("title", line.number, line.text))
        elif styled and line.style_level:
            heading = parse_heading(line.text, styled=True)
            blocks.append(Block("heading", line.number, line.text, heading=heading,
                                rank=line.style_level))
        elif (heading := None if styled else parse_heading(line.text)) is not None:
            blocks.append(Block("heading", line.number, line.text, heading=heading,
                                rank=STYLE_ORDER.index(heading.rank_style)))
        else:
            blocks.append(Block("paragraph", line.number, line.text))
    ranks = sorted({b.rank for b in blocks if b.kind == "heading"})
    for block in blocks:
        if block.kind == "heading":
            block.level = ranks.index(block.rank) + 1
    return blocks


def take_title(blocks: list[Block]) -> tuple[str | None, list[Block]]:
    """The .docx Title paragraph, else a first line that reads like a title (a paragraph,
    not a heading, short, not ending a sentence)."""
    for index, block in enumerate(blocks):
        if block.kind == "title":
            rest = blocks[:index] + blocks[index + 1:]
            for other in rest:
                other.kind = "paragraph" if other.kind == "title" else other.kind
            return block.text, rest
    first = blocks[0]
    if (first.kind == "paragraph" and len(first.text) <= MAX_TITLE_CHARS
            and not first.text.endswith(("。", ".", "；", ";", "：", ":"))):
        return first.text, blocks[1:]
    return None, blocks


def title_from(filename: str, slug: str) -> str:
    stem = re.sub(r"\s+", " ", Path(filename.replace("\\", "/")).stem).strip()
    return stem[:200] or slug


def check_numbering(blocks: list[Block], warnings: list[ArticleWarning]) -> None:
    """Each numbered heading should follow the one before it at its level (1 after nothing,
    n+1 after n) and, for 1.1-style numbers, carry its section's number."""
    last: dict[int, Heading] = {}
    for block in blocks:
        heading = block.heading
        if block.kind != "heading" or heading is None:
            continue
        for deeper in [level for level in last if level > block.level]:
            del last[deeper]
        previous = last.get(block.level)
        if heading.numbers and (previous is None or previous.numbers):
            outer = [level for level in last if level < block.level]
            parent = last[max(outer)] if outer else None
            step = previous.numbers[-1] + 1 if previous is not None else 1
            prefix = heading.numbers[:-1]
            if (len(heading.numbers) > 1 and parent is not None and parent.style == "dotted"
                    and heading.style == "dotted"):
                prefix = parent.numbers
            expected = (*prefix, step)
            if heading.numbers != expected:
                warnings.append(ArticleWarning(
                    "out_of_sequence", block.line, block.line,
                    {"heading": block.text, "expected": ".".join(map(str, expected))}))
        last[block.level] = heading


def _keywords(text: str) -> tuple[str, ...]:
    separators = r"[;；,，、]" if re.search(r"[;；,，、]", text) else r"\s+"
    return tuple(word.strip() for word in re.split(separators, text) if word.strip())


def parts(blocks: list[Block]) -> tuple[list[Block], list[Part], list[Block]]:
    """Split the article into what comes before the first heading, its sections (each with
    its subsections) and the references."""
    front: list[Block] = []
    tops: list[Part] = []
    references: list[Block] = []
    top: Part | None = None
    current: Part | None = None
    awaiting: Block | None = None  # a 关键词 line whose words are on the next line
    for block in blocks:
        if references or (block.special is not None and block.special.kind == "references"):
            references.append(block)
        elif block.kind == "heading":
            if block.level == 1 or top is None:
                top = Part(block if block.level == 1 else None)
                tops.append(top)
                current = top
            if block.level == 2:
                current = Part(block)
                top.subs.append(current)
            elif block.level > 2:
                current.blocks.append(block)
        elif current is not None:
            current.blocks.append(block if block.kind != "special" else
                                  Block("paragraph", block.line, block.text))
        elif block.special is not None and block.special.kind == "keywords":
            block.kind, block.items = "keywords", _keywords(block.special.rest)
            awaiting = None if block.items else block
            front.append(block)
        elif awaiting is not None:
            awaiting.items, awaiting = _keywords(block.text), None
        else:
            front.append(block)
    return front, tops, references


def _split_front(front: list[Block], has_sections: bool) -> tuple[list[Block], list[Block]]:
    """With sections, everything before them is the overview; without, only 摘要 and
    关键词 are (the rest is the text)."""
    if has_sections:
        return front, []
    marked = [i for i, b in enumerate(front) if b.special is not None]
    if not marked:
        return [], front
    start = marked[0]
    keywords = [i for i, b in enumerate(front) if b.kind == "keywords"]
    end = keywords[0] if keywords else start + (0 if front[start].special.rest else 1)
    return front[start:end + 1], front[:start] + front[end + 1:]


def _overview_title(blocks: list[Block]) -> str:
    names = list(dict.fromkeys(b.special.name for b in blocks if b.special is not None))
    return "导读：" + "与".join(names) if names else "导读"


def plan(front: list[Block], tops: list[Part], references: list[Block],
         course_title: str) -> list[Planned]:
    overview, text = _split_front(front, bool(tops))
    modules: list[Planned] = []
    if overview:
        modules.append(Planned("overview", _overview_title(overview), list(overview)))
    taken = {"overview"}
    for top in tops:
        parent = top.heading
        if not top.subs:
            blocks = ([parent] if parent else []) + top.blocks
            modules.append(_module(parent, None, blocks, len(modules), taken, course_title))
        for index, sub in enumerate(top.subs):
            blocks = ([parent] if parent else []) + top.blocks if index == 0 else []
            modules.append(_module(sub.heading, parent, blocks + [sub.heading] + sub.blocks,
                                   len(modules), taken, course_title))
    if text or not modules:
        modules.append(Planned("text", course_title, text))
    modules[-1].blocks.extend(references)
    return modules


def _module(own: Block | None, parent: Block | None, blocks: list[Block], position: int,
            taken: set[str], course_title: str) -> Planned:
    numbers: tuple[int, ...] = ()
    if own is not None and own.heading is not None and own.heading.numbers:
        numbers = own.heading.numbers
        if (len(numbers) == 1 and parent is not None and parent.heading is not None
                and parent.heading.numbers):
            numbers = parent.heading.numbers + numbers
    base = "section-" + "-".join(map(str, numbers)) if numbers else f"module-{position}"
    slug, extra = base, 0
    while slug in taken:
        extra += 1
        slug = f"{base}-{chr(ord('a') + extra)}" if extra < 26 else f"{base}-{extra}"
    taken.add(slug)
    headed = own or next((b for b in blocks if b.kind == "heading"), None)
    title = headed.heading.title if headed is not None and headed.heading else course_title
    return Planned(slug, title[:200], blocks)
