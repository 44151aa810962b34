"""Course zips: export → import → export gives the same bytes, and unsafe zips are refused
before anything is written."""

from __future__ import annotations

import io
import stat
import struct
import warnings
import zipfile

import pytest
from sqlalchemy import event, func, select

from lms.content.course_zip import CourseZipError, ZipLimits, read_course_zip, zip_course
from lms.content.loader import CourseInvalid
from lms.models import Course, CourseVersion, Question
from lms.services import course_files, question_bank
from lms.services.errors import InvalidInput
from lms.unit_of_work import unit_of_work

COURSE_YML = "slug: zipped\ntitle: 压缩课程\nmodules: [a.md]\n"
MODULE = "---\nslug: a\ntitle: 甲\nminutes: 3\n---\n正文。\n"
QUESTIONS = [{"type": "true_false", "prompt": "“三会一课”包括党课。", "answer": "正确"},
             {"id": "q-2", "type": "single_choice", "prompt": "选哪个？", "options": ["甲", "乙"],
              "answer": "B"}]


@pytest.fixture
def registry(app):
    return app.extensions["lms"].question_types


def counts(db) -> tuple[int, int, int]:
    return tuple(db.scalar(select(func.count()).select_from(table))
                 for table in (Course, CourseVersion, Question))


def files_of(data: bytes) -> dict[str, str]:
    return {name: text.decode("utf-8") for name, text in read_course_zip(data).items()}


def export(db, registry, slug: str) -> bytes:
    db.expire_all()
    return course_files.export_course_zip(db, course_files.find_course(db, slug), registry)[1]


def zip_of(entries: dict[str, bytes | str], *, links: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        warnings.simplefilter("ignore")  # duplicate names are one of the cases
        for name, data in entries.items():
            info = zipfile.ZipInfo(name.split("#")[0])  # "a.md#2": the same name again
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in links:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            out.writestr(info, data)
    return buffer.getvalue()


def lying(data: bytes, name: str, size: int) -> bytes:
    """The zip with ``name``'s stated uncompressed size replaced by ``size``."""
    patched, encoded = bytearray(data), name.encode()
    for signature, size_at, name_at in ((b"PK\x01\x02", 24, 46), (b"PK\x03\x04", 22, 30)):
        start = patched.find(signature)
        while start != -1:
            if patched[start + name_at:start + name_at + len(encoded)] == encoded:
                patched[start + size_at:start + size_at + 4] = struct.pack("<I", size)
            start = patched.find(signature, start + 4)
    return bytes(patched)


@pytest.mark.parametrize("slug", ["jiceng-dangjian", "assess", "demo"])
def test_export_import_export_gives_the_same_bytes_and_no_new_version(db, registry, slug):
    first = export(db, registry, slug)
    before = counts(db)
    loaded = course_files.import_course_zip(db, registry, first)
    assert (loaded.created, loaded.changed) == (False, False)
    assert counts(db) == before
    assert export(db, registry, slug) == first
    names = zipfile.ZipFile(io.BytesIO(first)).namelist()
    assert names == sorted(names) and all(n.startswith(f"{slug}/") for n in names)


def test_an_edited_export_is_a_new_version_of_the_same_questions(db, registry, make_course):
    make_course([{"questions": QUESTIONS}, {}], slug="edited")
    files = files_of(export(db, registry, "edited"))
    course = course_files.find_course(db, "edited")
    derived = db.scalar(select(Question).where(Question.course_id == course.id,
                                               Question.key.like("m1/%")))
    assert f"- id: {derived.key}\n" in files["01-m1.md"]
    files["01-m1.md"] = files["01-m1.md"].replace("包括党课", "包括上党课").replace("学习内容", "课文")
    loaded = course_files.import_course_zip(db, registry, zip_course(files, "edited"))
    assert (loaded.changed, loaded.version) == (True, 2)
    assert loaded.changes.questions_revised == (derived.key,)
    assert loaded.changes.modules_changed == ("m1",) and not loaded.changes.questions_added
    db.expire_all()
    assert db.get(Question, derived.id).prompt == "“三会一课”包括上党课。"
    assert files_of(export(db, registry, "edited")) == files


def test_imported_bank_questions_round_trip_without_duplicates(db, registry, make_course):
    made = make_course([{"questions": QUESTIONS}], slug="banked")
    parsed = question_bank.parse_bank("bank.gift", "::补充::组织生活会每年召开。{T}\n".encode(),
                                      registry)
    module = course_files.find_course(db, made.slug).modules[0]
    with unit_of_work(db):
        question_bank.import_questions(db, registry, module, parsed.questions)
    first = export(db, registry, "banked")
    assert "- id: m1/bank-" in files_of(first)["01-m1.md"]
    before = counts(db)
    assert not course_files.import_course_zip(db, registry, first).changed
    assert counts(db) == before
    assert export(db, registry, "banked") == first


def test_a_zip_of_a_new_slug_creates_the_course(db, registry):
    files = files_of(export(db, registry, "demo"))
    files["course.yml"] = files["course.yml"].replace("slug: demo", "slug: demo-copy")
    loaded = course_files.import_course_zip(db, registry, zip_course(files, "demo-copy"))
    assert (loaded.slug, loaded.created, loaded.version) == ("demo-copy", True, 1)
    assert export(db, registry, "demo-copy") == zip_course(files, "demo-copy")


def test_an_unpublished_course_exports_as_unpublished_and_imports_hidden(db, registry):
    course = course_files.find_course(db, "demo")
    with unit_of_work(db):
        course.published = False
    files = files_of(export(db, registry, "demo"))
    assert "pass_mark: 80\npublished: false\nmodules:\n" in files["course.yml"]
    files["course.yml"] = files["course.yml"].replace("slug: demo", "slug: demo-hidden")
    course_files.import_course_zip(db, registry, zip_course(files, "demo-hidden"))
    assert course_files.find_course(db, "demo-hidden").published is False


def test_a_dry_run_says_what_would_change_and_writes_nothing(db, registry, make_course):
    make_course([{"questions": QUESTIONS}, {}], slug="previewed")
    files = files_of(export(db, registry, "previewed"))
    files["01-m1.md"] = files["01-m1.md"].replace("选哪个？", "选哪一个？")
    files["course.yml"] = files["course.yml"].replace("  - 02-m2.md\n", "")
    del files["02-m2.md"]
    before = counts(db)
    plan = course_files.import_course_zip(db, registry, zip_course(files, "previewed"),
                                          dry_run=True)
    assert counts(db) == before
    assert (plan.changed, plan.version, plan.changes.questions_revised,
            plan.changes.modules_removed) == (True, 2, ("q-2",), ("m2",))
    done = course_files.import_course_zip(db, registry, zip_course(files, "previewed"))
    assert (done.version, done.changes) == (plan.version, plan.changes)


def test_a_zip_for_another_course_or_with_bad_files_writes_nothing(db, registry):
    before = counts(db)
    data = export(db, registry, "demo")
    with pytest.raises(InvalidInput, match="for course 'demo', not 'assess'"):
        course_files.import_course_zip(db, registry, data, slug="assess")
    bad = zip_of({"c/course.yml": COURSE_YML, "c/a.md": MODULE.replace("minutes: 3", "minutes: 0")})
    with pytest.raises(CourseInvalid) as caught:
        course_files.import_course_zip(db, registry, bad)
    assert [str(p) for p in caught.value.problems] == [
        "a.md:4: minutes must be a whole number of estimated minutes (1-600)"]
    assert counts(db) == before


GOOD = {"course.yml": COURSE_YML, "a.md": MODULE}
REFUSED = {
    "traversal": (zip_of({**GOOD, "../x.md": "x"}), "unsafe_path", "../x.md"),
    "absolute": (zip_of({"/etc/course.yml": COURSE_YML, "a.md": MODULE}), "unsafe_path",
                 "/etc/course.yml"),
    "backslash": (zip_of({**GOOD, "..\\x.md": "x"}), "unsafe_path", "..\\x.md"),
    "symlink": (zip_of({**GOOD, "b.md": "/etc/passwd"}, links=("b.md",)), "symlink", "b.md"),
    "duplicate": (zip_of({**GOOD, "a.md#2": MODULE}), "duplicate_name", "a.md"),
    "too many": (zip_of({**GOOD, **{f"{n}.md": "x" for n in range(199)}}), "too_many_files",
                 "200"),
    "oversize": (zip_of({**GOOD, "b.md": "党" * 1_000_000}), "file_too_large", "b.md"),
    "lying header": (lying(zip_of({**GOOD, "b.md": b"\0" * 5_000_000}), "b.md", 1000),
                     "corrupt", "b.md"),
    "not a zip": (b"PK\x03\x04 this is not really a zip", "not_a_zip", "not a zip"),
    "other files": (zip_of({**GOOD, "run.py": "x", "__MACOSX/._a.md": "x"}),
                    "unexpected_files", "__MACOSX/._a.md, run.py"),
    "two folders": (zip_of({"c/course.yml": COURSE_YML, "d/a.md": MODULE}),
                    "unexpected_files", "d/a.md"),
    "no course.yml": (zip_of({"c/a.md": MODULE}), "no_course_yml", "no course.yml"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_unsafe_zips_are_refused_with_their_code_and_nothing_written(db, registry, case):
    data, code, named = REFUSED[case]
    before = counts(db)
    with pytest.raises(CourseZipError) as caught:
        course_files.import_course_zip(db, registry, data)
    assert caught.value.code == code
    assert named in str(caught.value)
    assert counts(db) == before


def test_size_limits_are_checked_before_reading():
    data = zip_of(GOOD)
    with pytest.raises(CourseZipError, match="larger than 0 MB") as caught:
        read_course_zip(data, ZipLimits(zip_bytes=len(data) - 1))
    assert caught.value.code == "too_large"
    with pytest.raises(CourseZipError) as caught:
        read_course_zip(data, ZipLimits(total_bytes=len(MODULE.encode()) + 10))
    assert caught.value.code == "total_too_large"
    assert read_course_zip(data) == {k: v.encode() for k, v in GOOD.items()}


def test_a_zip_bomb_is_refused_from_its_header_without_decompressing_it():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as bomb:
        bomb.writestr("bomb/course.yml", COURSE_YML)
        with bomb.open("bomb/a.md", "w") as stream:
            zeros = b"\0" * (4 * 1024 * 1024)
            for _ in range(50):  # 200 MB
                stream.write(zeros)
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024
    with pytest.raises(CourseZipError) as caught:
        read_course_zip(data)
    assert (caught.value.code, caught.value.names) == ("file_too_large", ("a.md",))
    assert "larger than 2 MB uncompressed" in str(caught.value)
    # The same bomb claiming to be small stops at the size it claims.
    with pytest.raises(CourseZipError) as caught:
        read_course_zip(lying(data, "bomb/a.md", 1000))
    assert (caught.value.code, caught.value.names) == ("corrupt", ("a.md",))


def test_exporting_reads_a_fixed_number_of_queries_whatever_the_course_size(db, registry):
    def queries(slug: str) -> int:
        course = course_files.find_course(db, slug)
        seen: list[str] = []
        connection = db.connection()

        def listener(connection, cursor, statement, *args) -> None:
            seen.append(statement)

        event.listen(connection, "before_cursor_execute", listener)
        try:
            course_files.course_files(db, course, registry)
        finally:
            event.remove(connection, "before_cursor_execute", listener)
        return len([s for s in seen
                    if not s.lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))])

    assert queries("jiceng-dangjian") == queries("demo") <= 3


class _GbkName(zipfile.ZipInfo):
    """A name written as Windows' built-in zip writes it on a Chinese system: GBK, no flag."""

    __slots__ = ()

    def _encodeFilenameFlags(self):  # noqa: N802  (zipfile's name)
        return self.filename.encode("gbk"), self.flag_bits


def test_chinese_names_from_windows_zips_are_read_as_written():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_GbkName("课程/course.yml"), COURSE_YML)
        archive.writestr(_GbkName("课程/第一节.md"), MODULE)
    assert sorted(read_course_zip(buffer.getvalue())) == ["course.yml", "第一节.md"]
