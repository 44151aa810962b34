"""Find text pasted twice: a run of lines repeating an earlier run word for word.

Articles copied from a web page often carry their body twice (the seed article repeats
everything after its abstract). A run counts when it holds at least ``MIN_REPEAT_CHARS``
characters, so a short line said twice ("小结", a repeated heading) is kept. The later copy
is dropped and reported with both line ranges; nothing else is ever dropped.
"""

from __future__ import annotations

from lms.content.article_source import ArticleWarning, SourceLine

MIN_REPEAT_CHARS = 100
#: Earlier places a line is compared from: bounds the work on text full of equal lines.
MAX_CANDIDATES = 20


def _longest_earlier_copy(texts: list[str], start: int,
                          seen: dict[str, list[int]]) -> tuple[int, int]:
    """(earlier start, length) of the longest earlier run equal to the run at ``start`` and
    ending before it; (-1, 0) if there is none. The earlier run may hold lines already
    dropped as repeats themselves (the claim "word for word" stays true), so text pasted
    many times is dropped in ever longer runs, not line by line."""
    best_from, best_length = -1, 0
    for earlier in seen.get(texts[start], [])[:MAX_CANDIDATES]:
        if best_length >= min(start - earlier, len(texts) - start):
            break  # later candidates (ascending) cannot give a longer run
        length = 0
        while (start + length < len(texts) and earlier + length < start
               and texts[earlier + length] == texts[start + length]):
            length += 1
        if length > best_length:
            best_from, best_length = earlier, length
    return best_from, best_length


def drop_repeats(lines: list[SourceLine], warnings: list[ArticleWarning]) -> list[SourceLine]:
    texts = [line.text for line in lines]
    seen: dict[str, list[int]] = {}
    kept: list[SourceLine] = []
    index = 0
    while index < len(lines):
        earlier, length = _longest_earlier_copy(texts, index, seen)
        if length and sum(len(t) for t in texts[index:index + length]) >= MIN_REPEAT_CHARS:
            warnings.append(ArticleWarning(
                "repeated_block", lines[index].number, lines[index + length - 1].number,
                {"copy_first": lines[earlier].number,
                 "copy_last": lines[earlier + length - 1].number}))
            index += length
            continue
        seen.setdefault(texts[index], []).append(index)
        kept.append(lines[index])
        index += 1
    return kept
