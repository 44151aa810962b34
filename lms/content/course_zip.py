"""Course folders as zip files: written byte for byte the same every time, read defensively.

``zip_course`` writes one top folder named after the course, files sorted, fixed timestamps
and permissions, so two exports of the same content are identical. ``read_course_zip`` takes
an upload from anyone allowed to import: it checks the size before opening, the entry count,
every name (no absolute path, ``..``, backslash, drive letter or symlink, no duplicates, only
``course.yml``, ``*.md`` and ``*.quiz.yml`` in one top folder or none), the uncompressed
sizes the headers state and their ratio to the packed sizes, then reads in chunks and stops at the limits whatever the headers
said, so a zip bomb is refused after reading at most the limit (or 100 times its packed size).
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

from lms.services.errors import InvalidInput

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
CHUNK = 64 * 1024
MB = 1024 * 1024
#: Small files may pack tightly (a short file of spaces); beyond this, a ratio means a bomb.
RATIO_FLOOR = 256 * 1024
UNSAFE_NAME = re.compile(r"(^/|^[A-Za-z]:|\\|[\x00-\x1f\x7f])")


@dataclass(frozen=True)
class ZipLimits:
    zip_bytes: int = 10 * MB      # the upload itself
    files: int = 200              # entries, folders included
    file_bytes: int = 2 * MB      # one file, uncompressed
    total_bytes: int = 20 * MB    # every file together, uncompressed
    ratio: int = 100              # unpacked / packed size of a file above RATIO_FLOOR


LIMITS = ZipLimits()


class CourseZipError(InvalidInput):
    """The zip is refused (a 400, never a 500); ``code`` is stable for the UI to translate,
    ``names`` lists the entries at fault and ``message`` is the English text naming them."""

    def __init__(self, code: str, message: str, names: tuple[str, ...] = ()):
        listed = f": {', '.join(names[:20])}" + (" …" if len(names) > 20 else "") if names else ""
        super().__init__(message + listed, field="file")
        self.code, self.names = code, names


def zip_course(files: Mapping[str, str], folder: str) -> bytes:
    """The files under ``folder/``, deterministic: same files, same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, files[name].encode("utf-8"), compresslevel=9)
    return buffer.getvalue()


def read_course_zip(data: bytes, limits: ZipLimits = LIMITS) -> dict[str, bytes]:
    """The course files in the zip, by name within the course folder; ``CourseZipError`` for
    anything unexpected, before any file is decompressed whenever the headers tell."""
    if len(data) > limits.zip_bytes:
        raise CourseZipError("too_large", f"the zip is larger than {limits.zip_bytes // MB} MB")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise CourseZipError("not_a_zip", "the file is not a zip archive") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.files:
            raise CourseZipError("too_many_files",
                                 f"the zip holds more than {limits.files} files")
        entries = _check_entries(infos)
        _check_sizes(entries, limits)
        read: dict[str, bytes] = {}
        budget = limits.total_bytes
        for name, info in entries.items():
            read[name] = _read(archive, info, name, min(limits.file_bytes, budget), limits)
            budget -= len(read[name])
        return read


def _name(info: zipfile.ZipInfo) -> str:
    """Without the UTF-8 flag, Windows' zip writes names in the local code page (GBK here)."""
    name = info.filename
    if info.flag_bits & 0x800 or name.isascii():
        return name
    raw = name.encode("cp437")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def _refuse(code: str, message: str, names: list[str]) -> None:
    if names:
        raise CourseZipError(code, message, tuple(sorted(names)))


def _check_entries(infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
    names = [_name(info) for info in infos]
    _refuse("unsafe_path", "the zip has unsafe paths", [
        n for n in names
        if UNSAFE_NAME.search(n) or any(p in ("", ".", "..") for p in n.rstrip("/").split("/"))])
    _refuse("symlink", "the zip has symbolic links", [
        n for n, info in zip(names, infos, strict=True)
        if stat.S_ISLNK(info.external_attr >> 16)])
    _refuse("duplicate_name", "the zip has the same name twice",
            sorted({n for n in names if names.count(n) > 1}))
    _refuse("encrypted", "the zip has encrypted files",
            [n for n, info in zip(names, infos, strict=True) if info.flag_bits & 0x1])
    _refuse("unsupported_compression", "the zip uses a compression other than deflate", [
        n for n, info in zip(names, infos, strict=True)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)])
    files = {n: info for n, info in zip(names, infos, strict=True) if not n.endswith("/")}
    # The course folder is the one holding course.yml: the zip's root, or one folder in it.
    tops = sorted(n[:-len("course.yml")] for n in files
                  if n == "course.yml" or (n.endswith("/course.yml") and n.count("/") == 1))
    if not tops:
        raise CourseZipError("no_course_yml", "the zip has no course.yml")
    top = tops[0]
    entries, unexpected = {}, [n for n in names if n.endswith("/") and n != top]
    for name, info in files.items():
        inner = name[len(top):]
        if (not name.startswith(top) or "/" in inner
                or not (inner == "course.yml" or inner.endswith((".md", ".quiz.yml")))):
            unexpected.append(name)
        else:
            entries[inner] = info
    _refuse("unexpected_files", "a course zip holds only course.yml and .md files, in one "
            "folder or none; it also has", unexpected)
    return entries


def _check_sizes(entries: dict[str, zipfile.ZipInfo], limits: ZipLimits) -> None:
    _refuse("file_too_large", f"files larger than {limits.file_bytes // MB} MB uncompressed",
            [n for n, info in entries.items() if info.file_size > limits.file_bytes])
    if sum(info.file_size for info in entries.values()) > limits.total_bytes:
        raise CourseZipError("total_too_large", "the files are larger than "
                             f"{limits.total_bytes // MB} MB uncompressed together")
    _refuse("bomb", f"files unpacking to more than {limits.ratio} times their packed size",
            [n for n, info in entries.items() if _bomb(info.file_size, info, limits)])


def _bomb(size: int, info: zipfile.ZipInfo, limits: ZipLimits) -> bool:
    return size > RATIO_FLOOR and size > limits.ratio * max(info.compress_size, 1)


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, allowed: int,
          limits: ZipLimits) -> bytes:
    """Read at most ``allowed`` bytes, whatever the header said."""
    chunks, size = [], 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > allowed:
                    code = "file_too_large" if allowed == limits.file_bytes else "total_too_large"
                    raise CourseZipError(code, "a file is larger than its header says", (name,))
                if _bomb(size, info, limits):
                    raise CourseZipError("bomb", "a file unpacks to more than "
                                         f"{limits.ratio} times its packed size", (name,))
                chunks.append(chunk)
    except CourseZipError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        raise CourseZipError("corrupt", "the zip is damaged", (name,)) from None
    return b"".join(chunks)
