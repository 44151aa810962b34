"""Recognise the headings of a Chinese article: numbered section headings, 摘要, 关键词, 参考文献.

Articles pasted as plain text carry their structure only in their numbering: ``1.`` ``1.1``
``1.1.1``, ``一、`` ``（一）`` ``1、`` ``（1）``, ``第一章`` ``第一节``. A line is a heading only
if it also reads like one (short, not a sentence), so a paragraph that opens with "1.5亿元…" or
an enumerated "（1）…。" sentence stays a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NUM = r"[0-9０-９]{1,3}"
CN = r"[零〇一二两三四五六七八九十]{1,4}"
#: Styles from the outermost to the innermost, as Chinese documents nest them. The styles an
#: article uses are ranked in this order: the first is level 1 (a section), the next level 2
#: (a subsection), and so on. ``1.`` and ``1、`` share a rank.
STYLE_ORDER = ("chapter", "section", "cn-dun", "cn-paren", "arabic", "dotted-2", "dotted-3",
               "dotted-4", "num-paren")
PATTERNS = (
    ("chapter", re.compile(rf"^(?P<marker>第\s*(?P<num>{CN}|{NUM})\s*章)(?P<text>.*)$")),
    ("section", re.compile(rf"^(?P<marker>第\s*(?P<num>{CN}|{NUM})\s*节)(?P<text>.*)$")),
    ("cn-paren", re.compile(rf"^(?P<marker>[（(]\s*(?P<num>{CN})\s*[）)])(?P<text>.+)$")),
    ("num-paren", re.compile(rf"^(?P<marker>[（(]\s*(?P<num>{NUM})\s*[）)])(?P<text>.+)$")),
    ("cn-dun", re.compile(rf"^(?P<marker>(?P<num>{CN})\s*、)(?P<text>.+)$")),
    ("arabic", re.compile(rf"^(?P<marker>(?P<num>{NUM})\s*、)(?P<text>.+)$")),
    ("dotted", re.compile(rf"^(?P<marker>(?P<num>{NUM}(?:[.．]{NUM})*)(?![0-9０-９])"
                          rf"(?P<dot>[.．])?)(?P<text>.+)$")),
)
MAX_HEADING_CHARS = 50
OPENERS = "“‘《〈「『\"'(（[【"
SPECIAL_NAMES = (r"摘\s*要|内容摘要|内容提要|关\s*键\s*[词字]|参考文献|abstract|key\s*words?"
                 r"|references")
SPECIAL = re.compile(rf"^(?:[【\[]\s*(?P<a>{SPECIAL_NAMES})\s*[】\]]|(?P<b>{SPECIAL_NAMES})"
                     rf"(?=\s*[:：]|\s*$))\s*[:：]?\s*(?P<rest>.*)$", re.IGNORECASE)
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True)
class Heading:
    style: str          # a STYLE_ORDER name, or "plain" (a styled .docx heading, no number)
    numbers: tuple[int, ...]  # (3, 1) for "3.1", (1,) for "一、"; () when there is none
    marker: str         # the number as written: "3.1", "一、", "（一）", "第一章"
    text: str           # the words after it

    @property
    def title(self) -> str:
        """The module title: "1.1 健全…", "一、加强…", "第一章 总则"."""
        if not self.marker:
            return self.text
        if self.style == "dotted" or self.style.startswith("dotted-") or self.style in (
                "chapter", "section"):
            return f"{self.marker.rstrip('.．')} {self.text}".strip()
        return f"{self.marker}{self.text}"

    @property
    def rank_style(self) -> str:
        if self.style == "dotted":
            return "arabic" if len(self.numbers) == 1 else f"dotted-{min(len(self.numbers), 4)}"
        return self.style


@dataclass(frozen=True)
class Special:
    kind: str   # "abstract", "keywords" or "references"
    name: str   # as written, spaces and brackets dropped: "摘要", "关键词", "Abstract"
    rest: str   # text after the colon on the same line


def chinese_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 1 / １ → 1; None for anything else."""
    if text.isdecimal():
        return int(text)
    if "十" not in text:
        return CN_DIGITS[text] if len(text) == 1 and text in CN_DIGITS else None
    tens, _, ones = text.partition("十")
    if (tens and tens not in CN_DIGITS) or (ones and ones not in CN_DIGITS):
        return None
    return CN_DIGITS.get(tens, 1) * 10 + CN_DIGITS.get(ones, 0)


def _reads_like_heading(text: str) -> bool:
    text = text.strip()
    if len(text) > MAX_HEADING_CHARS or any(mark in text for mark in "。；;"):
        return False
    if any(mark in text[:-1] for mark in "！？!?"):
        return False
    return not text or text[0].isalnum() or text[0] in OPENERS


def parse_heading(line: str, *, styled: bool = False) -> Heading | None:
    """The heading ``line`` is, or None. ``styled``: a .docx heading style already says it is
    one, so only its number is looked for (and "plain" is returned without one)."""
    for style, pattern in PATTERNS:
        match = pattern.match(line)
        if match is None:
            continue
        text = match.group("text").strip()
        if style == "dotted":
            numbers = tuple(int(n) for n in re.split("[.．]", match.group("num")))
            if len(numbers) == 1 and not match.group("dot"):
                continue
        else:
            number = chinese_number(re.sub(r"\s", "", match.group("num")))
            if number is None:
                continue
            numbers = (number,)
        if not styled and (not _reads_like_heading(text)
                           or (not text and style not in ("chapter", "section"))):
            return None
        return Heading(style, numbers, match.group("marker").strip(), text)
    return Heading("plain", (), "", line) if styled else None


def parse_special(line: str) -> Special | None:
    match = SPECIAL.match(line)
    if match is None:
        return None
    name = re.sub(r"\s", "", match.group("a") or match.group("b"))
    lower = name.lower()
    kind = ("keywords" if lower.startswith(("关", "key")) else
            "references" if lower.startswith(("参", "ref")) else "abstract")
    return Special(kind, name, match.group("rest").strip())
