"""Article bytes to numbered lines: the encodings Chinese offices save text in, bounded first.

Trainers paste articles from web pages and Word into Notepad, which saves UTF-8 (with or
without a BOM), GB18030/GBK (older Windows) or UTF-16 ("Unicode"). Each is tried strictly,
so a wrong guess fails instead of producing mojibake; what none of them reads is refused with
a stable code the CLI and the upload form explain in the reader's language. The warnings an
import gives are declared here too, beside the lines they point at.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

#: Checked before anything is parsed: an article is text, a few hundred kilobytes at most.
MAX_ARTICLE_BYTES = 5 * 1024 * 1024
#: Invisible characters that would only confuse heading recognition and YAML.
INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200d\u2060\ufeff]")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .ppt (Office 97-2003)
ZIP_MAGIC = b"PK\x03\x04"

WARNING_TEXTS = {
    "repeated_block": "Lines %(first)d–%(last)d repeat lines %(copy_first)d–%(copy_last)d "
                      "word for word and were left out.",
    "out_of_sequence": "The heading “%(heading)s” on line %(first)d breaks the numbering "
                       "(%(expected)s was expected); it is kept as written, where it stands.",
    "no_title": "No title line was found: the course is named after the file.",
    "no_sections": "No section headings were recognised: the text makes one module.",
    "table_skipped": "A table after line %(first)d was not imported: copy it in by hand.",
    "pictures_skipped": "%(count)d picture(s) in line %(first)d were not imported.",
}


@dataclass(frozen=True)
class ArticleWarning:
    """Something the trainer should check, on lines ``first_line``–``last_line`` (paragraphs
    of a .docx). ``code`` is stable; ``params`` fill its wording in any language."""

    code: str
    first_line: int
    last_line: int
    params: Mapping[str, int | str] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return WARNING_TEXTS[self.code] % {"first": self.first_line, "last": self.last_line,
                                           **self.params}


class ArticleUnreadable(ValueError):
    """The file cannot be read as an article. ``code`` is stable (the UI words it);
    ``params`` fill the wording; ``message`` is the English text."""

    def __init__(self, code: str, message: str, **params: int | str):
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params


class SourceLine(NamedTuple):
    """One non-empty line (a paragraph of a .docx), stripped, with its 1-based number (a
    tuple: a 5 MB text may hold a million of them)."""

    number: int
    text: str
    #: From a .docx paragraph style: 0 for Title, N for Heading N; None for body text.
    style_level: int | None = None


@dataclass
class Source:
    lines: list[SourceLine]
    #: Heading styles are present (a .docx): they, not text patterns, mark the headings.
    styled: bool = False
    #: What could not be imported, as (code, line, count): tables, pictures.
    skipped: list[tuple[str, int, int]] = field(default_factory=list)


def check_size(data: bytes, filename: str) -> None:
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleUnreadable("too_large", f"the file is larger than "
                                f"{MAX_ARTICLE_BYTES // 1024 // 1024} MB",
                                limit=MAX_ARTICLE_BYTES // 1024 // 1024)
    if not data.strip():
        raise ArticleUnreadable("empty", "the file is empty")
    lower = filename.lower()
    if data.startswith((OLE_MAGIC, b"%PDF")) or lower.endswith((".doc", ".pdf", ".wps")):
        raise ArticleUnreadable("unsupported_format",
                                "only .docx and plain text articles can be imported")


def is_docx(data: bytes, filename: str) -> bool:
    return filename.lower().endswith(".docx") or data.startswith(ZIP_MAGIC)


def decode_text(data: bytes) -> str:
    """UTF-16 when its BOM says so, else strict UTF-8 (a BOM dropped), else GB18030."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:  # a binary file that happened to decode
            break
        return text
    raise ArticleUnreadable("encoding", "the file is not text in UTF-8, GB18030 or UTF-16")


def clean(text: str) -> str:
    """The text without invisible characters, tabs as spaces, stripped (full-width
    indentation spaces too)."""
    return INVISIBLE.sub("", text.replace("\t", " ")).strip()


def text_lines(text: str) -> list[SourceLine]:
    text = INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    return [SourceLine(number, stripped) for number, line in enumerate(text.split("\n"), start=1)
            if (stripped := line.strip())]
