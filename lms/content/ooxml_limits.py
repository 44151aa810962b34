"""Bound an uploaded .xlsx or .docx before openpyxl or python-docx parses any of it.

Both are zip files of XML parts, and both libraries trust what they read: openpyxl keeps
every shared string in memory and pads a sheet up to the highest row number it sees, so a
281 KB file of two million empty ``<row/>`` elements, or a 512 KB one holding a single
500 MB string, takes a worker down. ``check_package`` therefore inflates every part itself,
counting the bytes that actually come out (never the sizes the zip's headers claim), and
feeds each XML part to expat in chunks, counting rows, cells per row, characters per string
and elements as they stream by. The first limit crossed stops it, so memory stays near one
chunk whatever the file holds. Document type declarations are refused (no entity tricks).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

CHUNK = 64 * 1024
MB = 1024 * 1024
#: Excel's own limit for the text of one cell.
EXCEL_CELL_CHARS = 32_767
CELL_REF = re.compile(r"([A-Z]{1,3})(\d{0,7})$")


@dataclass(frozen=True)
class PackageLimits:
    unzipped_bytes: int = 64 * MB   # every part together, counted while inflating
    members: int = 1000
    elements: int = 1_000_000       # XML elements in all parts together
    depth: int = 100                # nesting of XML elements
    rows: int | None = None         # <row> elements of any sheet, and its highest row number
    columns: int | None = None      # cells in a row, and the highest column of a cell
    string_chars: int | None = None  # one shared or inline string, one cell value


class PackageRefused(Exception):
    """The package crossed a limit or is not one; ``reason`` is ``unreadable``,
    ``too_large`` (``megabytes``), ``too_many_rows`` (``rows``), ``too_many_columns``
    (``columns``) or ``cell_too_long`` (``chars``)."""

    def __init__(self, reason: str, **params: Any):
        super().__init__(f"{reason} {params}" if params else reason)
        self.reason = reason
        self.params = params


def check_package(data: bytes, limits: PackageLimits) -> None:
    """Inflate and scan every part of the package within ``limits``, or raise
    ``PackageRefused`` at the first limit crossed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise PackageRefused("unreadable") from None
    with archive:
        infos = archive.infolist()  # the headers' claims refuse early; the reading decides
        if (len(infos) > limits.members
                or sum(info.file_size for info in infos) > limits.unzipped_bytes):
            raise PackageRefused("too_large", megabytes=limits.unzipped_bytes // MB)
        scan = _Scan(limits)
        for info in infos:
            is_xml = info.filename.lower().endswith((".xml", ".rels"))
            try:
                with archive.open(info) as stream:
                    scan.part(stream, is_xml)
            except PackageRefused:
                raise
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
                    NotImplementedError, RuntimeError):  # RuntimeError: encrypted
                raise PackageRefused("unreadable") from None


class _Scan:
    """Counts across the parts of one package; ``part`` streams one of them through."""

    def __init__(self, limits: PackageLimits):
        self.limits = limits
        self.budget = limits.unzipped_bytes
        self.elements = 0

    def part(self, stream, is_xml: bool) -> None:
        parser = _PartParser(self) if is_xml else None
        while chunk := stream.read(CHUNK):
            self.budget -= len(chunk)
            if self.budget < 0:
                raise PackageRefused("too_large", megabytes=self.limits.unzipped_bytes // MB)
            if parser is not None:
                parser.feed(chunk, final=False)
        if parser is not None:
            parser.feed(b"", final=True)


class _PartParser:
    """One XML part through expat: rows, cells and string lengths as a sheet has them."""

    def __init__(self, scan: _Scan):
        self.scan, self.limits = scan, scan.limits
        self.depth = self.rows = self.row = self.cells = self.column = self.chars = 0
        self.in_string = 0  # inside <si> or <is>: their runs' text counts as one string
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._doctype

    def feed(self, chunk: bytes, final: bool) -> None:
        try:
            self.parser.Parse(chunk, final)
        except expat.ExpatError:
            raise PackageRefused("unreadable") from None

    def _doctype(self, *args: Any) -> None:
        raise PackageRefused("unreadable")

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        self.scan.elements += 1
        if self.depth > self.limits.depth or self.scan.elements > self.limits.elements:
            raise PackageRefused("too_large", megabytes=self.limits.unzipped_bytes // MB)
        tag = name.rsplit(" ", 1)[-1]
        if not self.in_string:
            self.chars = 0
        if tag in ("si", "is"):
            self.in_string += 1
        elif tag == "row":
            self._row(attributes.get("r"))
        elif tag == "c":
            self._cell(attributes.get("r"))

    def _end(self, name: str) -> None:
        self.depth -= 1
        if name.rsplit(" ", 1)[-1] in ("si", "is"):
            self.in_string -= 1

    def _text(self, text: str) -> None:
        limit = self.limits.string_chars
        self.chars += len(text)
        if limit is not None and self.chars > limit:
            raise PackageRefused("cell_too_long", chars=limit)

    def _row(self, number: str | None) -> None:
        self.rows += 1
        self.row = int(number) if number and number.isdigit() else self.row + 1
        self.cells = self.column = 0
        limit = self.limits.rows
        if limit is not None and max(self.rows, self.row) > limit:
            raise PackageRefused("too_many_rows", rows=limit)

    def _cell(self, reference: str | None) -> None:
        self.cells += 1
        match = CELL_REF.match(reference or "")
        self.column = _column_index(match.group(1)) if match else self.column + 1
        limit = self.limits.columns
        if limit is not None and max(self.cells, self.column) > limit:
            raise PackageRefused("too_many_columns", columns=limit)


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


__all__ = ["EXCEL_CELL_CHARS", "PackageLimits", "PackageRefused", "check_package"]
