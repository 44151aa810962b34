"""What a refused course zip says, in the reader's language.

``lms.content.course_zip`` and ``lms.services.draft_zip`` refuse with stable codes and the
names of the entries at fault; the words live here once, with the names listed after them.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.content.course_zip import LIMITS, MB, CourseZipError
from lms.services.draft_zip import NotYourCourse, WrongCourse

ZIP_REFUSALS = {
    "too_large": _l("The zip is larger than %(zip_mb)d MB."),
    "not_a_zip": _l("The file is not a zip archive. Upload a course zip as exported from "
                    "this site (a .zip file)."),
    "too_many_files": _l("The zip holds more than %(files)d files."),
    "unsafe_path": _l("The zip has unsafe file paths (absolute paths, “..” or backslashes), "
                      "so nothing was imported."),
    "symlink": _l("The zip has symbolic links, which a course zip never holds."),
    "duplicate_name": _l("The zip has the same file name twice."),
    "encrypted": _l("The zip has password-protected files: pack it again without a "
                    "password."),
    "unsupported_compression": _l("The zip uses a compression this site cannot read: "
                                  "pack it again as an ordinary (deflate) zip."),
    "no_course_yml": _l("The zip has no course.yml: it is not a course zip."),
    "unexpected_files": _l("A course zip holds only course.yml and the chapters’ .md files, "
                           "in one folder; it also has other files."),
    "file_too_large": _l("These files are larger than %(file_mb)d MB once unpacked."),
    "total_too_large": _l("The files are larger than %(total_mb)d MB together once "
                          "unpacked."),
    "bomb": _l("These files unpack to more than %(ratio)d times their packed size, as a "
               "zip bomb does, so nothing was imported."),
    "corrupt": _l("The zip is damaged and could not be unpacked."),
    "not_utf8": _l("These files are not UTF-8 text (save them again as UTF-8)."),
    "not_editable": _l("The course editor cannot hold these files (questions go in a "
                       "```quiz block of their chapter; file names use ASCII letters, "
                       "digits, dots and dashes)."),
}


def zip_refusal_text(error: CourseZipError) -> str:
    template = ZIP_REFUSALS.get(error.code)
    if template is None:
        return error.message
    text = str(template) % {"zip_mb": LIMITS.zip_bytes // MB, "files": LIMITS.files,
                            "file_mb": LIMITS.file_bytes // MB,
                            "total_mb": LIMITS.total_bytes // MB, "ratio": LIMITS.ratio}
    if error.names:
        shown = ", ".join(error.names[:20]) + ("…" if len(error.names) > 20 else "")
        text = _("%(reason)s: %(names)s", reason=text.rstrip("。."), names=shown)
    return text


def wrong_course_text(error: WrongCourse) -> str:
    return _("This zip is for the course “%(slug)s”, not this one: import it from "
             "“Import a course zip” on the Teaching page.", slug=error.slug)


def not_author_text(error: NotYourCourse) -> str:
    return _("A course “%(slug)s” exists already and you are not one of its authors: ask "
             "its authors to add you, or change the slug in course.yml to make a new "
             "course.", slug=error.slug)
