"""Hostile .xlsx files, written part by part with zipfile so the test holds no binaries.

Each is small on disk: deflate packs a run of ``<row/>`` or of one letter about a thousand to
one, which is what made a 281 KB upload run for 30 s and a 512 KB one take 1 GB.
"""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Iterable

MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
        'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
        'application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
        'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '</Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
        f'{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
        f'org/spreadsheetml/2006/main" xmlns:r="{REL}"><sheets><sheet name="题库" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
        f'{REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="'
        f'{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
}
HEADER_ROW = (b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xe5\xa7\x93\xe5\x90\x8d</t></is></c>'
              b'<c r="B1" t="inlineStr"><is><t>\xe7\x94\xa8\xe6\x88\xb7\xe5\x90\x8d</t></is></c>'
              b'</row>')
SHEET_START = b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + MAIN + b'><sheetData>'
SHEET_END = b'</sheetData></worksheet>'
EMPTY_STRINGS = [b'<?xml version="1.0"?><sst ' + MAIN + b' count="0" uniqueCount="0"/>']
MB = 1024 * 1024


def workbook(sheet: Iterable[bytes], strings: Iterable[bytes] = EMPTY_STRINGS) -> bytes:
    """An .xlsx whose sheet and shared strings are streamed from the given chunks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        for name, chunks in (("xl/worksheets/sheet1.xml", sheet),
                             ("xl/sharedStrings.xml", strings)):
            with archive.open(name, "w", force_zip64=True) as stream:
                for chunk in chunks:
                    stream.write(chunk)
    return buffer.getvalue()


@functools.cache
def empty_rows(count: int = 2_000_000) -> bytes:
    """A header, then ``count`` rows without cells and no <dimension> at all."""
    def sheet():
        yield SHEET_START + HEADER_ROW
        for _ in range(count // 10_000):
            yield b"<row/>" * 10_000
        yield SHEET_END
    return workbook(sheet())


@functools.cache
def huge_shared_string(megabytes: int = 500) -> bytes:
    """One shared string of ``megabytes`` MB, used by cell A1."""
    def strings():
        yield b'<?xml version="1.0"?><sst ' + MAIN + b' count="1" uniqueCount="1"><si><t>'
        for _ in range(megabytes):
            yield b"a" * MB
        yield b"</t></si></sst>"
    sheet = SHEET_START + b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>' + SHEET_END
    return workbook([sheet], strings())


def sheet_of(rows: bytes) -> bytes:
    """A workbook whose sheet data is ``rows`` after the header row."""
    return workbook([SHEET_START + HEADER_ROW + rows + SHEET_END])
