"""Word (.docx) articles: paragraphs in order with their heading styles, bounded before parsing.

A .docx is a zip: every part is unpacked and its XML streamed within fixed bounds before
python-docx opens it (lms.content.ooxml_limits), so a small upload that unpacks to gigabytes,
or to millions of elements, is refused after reading at most the limit. Paragraph numbers stand in for line numbers in warnings.
"""

from __future__ import annotations

import io
import re
import zipfile

from lms.content.article_source import ArticleUnreadable, Source, SourceLine, clean
from lms.content.ooxml_limits import PackageLimits, PackageRefused, check_package

MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 1000
HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
TITLE_STYLES = {"title", "标题"}


def _check_zip(data: bytes) -> None:
    limits = PackageLimits(unzipped_bytes=MAX_UNCOMPRESSED_BYTES, members=MAX_MEMBERS)
    try:
        check_package(data, limits)  # the bytes really unpacked, not the headers' claims
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except PackageRefused as refused:
        if refused.reason != "too_large":
            raise ArticleUnreadable("docx_invalid", "the file is not a Word .docx document") \
                from None
        limit = MAX_UNCOMPRESSED_BYTES // 1024 // 1024
        raise ArticleUnreadable("docx_too_large", f"the .docx unpacks to more than {limit} MB",
                                limit=limit) from None
    if "word/document.xml" not in names:
        raise ArticleUnreadable("docx_invalid", "the file is not a Word .docx document")


def _style_level(paragraph) -> int | None:
    """0 for a Title paragraph, N for Heading N (or a style based on one), else None."""
    style = paragraph.style
    for _ in range(5):
        if style is None:
            return None
        name = (style.name or "").strip()
        if name.lower() in TITLE_STYLES:
            return 0
        match = HEADING_STYLE.match(name)
        if match:
            return int(match.group(1))
        style = style.base_style
    return None


def read_docx(data: bytes) -> Source:
    _check_zip(data)
    import docx  # python-docx; imported here so reading plain text never needs lxml
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(document.iter_inner_content())
    except Exception as error:  # python-docx raises many kinds on a damaged package
        raise ArticleUnreadable("docx_invalid", "the file is not a Word .docx document") \
            from error
    source = Source(lines=[])
    number = 0
    for block in blocks:
        if isinstance(block, Table):
            source.skipped.append(("table_skipped", number, 1))
            continue
        number += 1
        level = _style_level(block)
        for piece in block.text.split("\n"):  # a manual line break splits a paragraph
            text = clean(piece)
            if text:
                source.lines.append(SourceLine(number, text, level))
                source.styled = source.styled or bool(level)
        pictures = len(block._p.xpath(".//w:drawing | .//w:pict"))
        if pictures:
            source.skipped.append(("pictures_skipped", number, pictures))
    return source
