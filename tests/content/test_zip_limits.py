"""Zip uploads beyond what test_course_zip covers: drive letters, nesting, the packing ratio
of a bomb, and a Word file whose parts unpack or nest beyond the bounds."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest

from lms.content.article_docx import read_docx
from lms.content.article_source import ArticleUnreadable
from lms.content.course_zip import CourseZipError, read_course_zip
from tests.content.test_course_zip import COURSE_YML, GOOD, MODULE, lying, zip_of


@pytest.mark.parametrize(("entries", "code"), [
    ({"C:/course.yml": COURSE_YML, "a.md": MODULE}, "unsafe_path"),
    ({**GOOD, "c:\\evil.md": "x"}, "unsafe_path"),
    ({**GOOD, "a/../../evil.md": "x"}, "unsafe_path"),
    ({**GOOD, "deep/er/still/b.md": "x"}, "unexpected_files"),
    ({"a/b/course.yml": COURSE_YML, "a/b/a.md": MODULE}, "no_course_yml"),
])
def test_unsafe_or_nested_names_are_refused(entries, code):
    with pytest.raises(CourseZipError) as caught:
        read_course_zip(zip_of(entries))
    assert caught.value.code == code


def test_a_file_packed_a_thousand_to_one_is_refused_as_a_bomb_even_under_the_size_limits():
    data = zip_of({**GOOD, "b.md": " " * (1024 * 1024)})  # 1 MB: under the 2 MB limit
    with pytest.raises(CourseZipError) as caught:
        read_course_zip(data)
    assert (caught.value.code, caught.value.names) == ("bomb", ("b.md",))
    # Claiming a modest size in its header does not help: reading stops at the ratio.
    with pytest.raises(CourseZipError) as caught:
        read_course_zip(lying(data, "b.md", 1000))
    assert caught.value.code in ("bomb", "corrupt")
    read_course_zip(zip_of({**GOOD, "b.md": " " * 100_000}))  # small files may pack tightly


def docx_of(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCUMENT = b'<?xml version="1.0"?><w:document xmlns:w="urn:w"><w:body>%s</w:body></w:document>'


@pytest.mark.parametrize(("body", "code"), [
    (b"<w:p/>" * 2_000_000, "docx_too_large"),  # two million elements in 40 KB
    (b"<w:p>" * 10_000 + b"</w:p>" * 10_000, "docx_too_large"),  # nesting
])
def test_a_docx_beyond_the_bounds_is_refused_before_python_docx_parses_it(body, code):
    tracemalloc.start()
    try:
        with pytest.raises(ArticleUnreadable) as caught:
            read_docx(docx_of({"word/document.xml": DOCUMENT % body}))
        assert tracemalloc.get_traced_memory()[1] < 20 * 1024 * 1024
    finally:
        tracemalloc.stop()
    assert caught.value.code == code


def test_a_docx_declaring_entities_is_refused_before_python_docx_opens_it(monkeypatch):
    import docx

    monkeypatch.setattr(docx, "Document", lambda *args: pytest.fail("python-docx opened it"))
    laughs = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">]>'
              b'<w:document xmlns:w="urn:w">&a;</w:document>')
    with pytest.raises(ArticleUnreadable) as caught:
        read_docx(docx_of({"word/document.xml": laughs}))
    assert caught.value.code == "docx_invalid"
