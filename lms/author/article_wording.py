"""What an article import says, in the reader's language: its warnings and its refusals.

``lms.content.article_import`` reports stable codes with parameters (and English text for
logs); the words live here once, for the CLI and the trainer's upload form alike.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.content.article_import import ArticleUnreadable, ArticleWarning

WARNINGS = {
    "repeated_block": _l("Lines %(first)d–%(last)d repeat lines %(copy_first)d–%(copy_last)d "
                         "word for word and were left out."),
    "out_of_sequence": _l("The heading “%(heading)s” on line %(first)d breaks the numbering "
                          "(%(expected)s was expected); it is kept as written, where it "
                          "stands."),
    "no_title": _l("No title line was found: the course is named after the file."),
    "no_sections": _l("No section headings were recognised: the text makes one module."),
    "table_skipped": _l("A table after line %(first)d was not imported: copy it in by hand."),
    "pictures_skipped": _l("%(count)d picture(s) in line %(first)d were not imported."),
}
UNREADABLE = {
    "empty": _l("The file is empty."),
    "no_text": _l("The file holds no text to import."),
    "too_large": _l("The file is larger than %(limit)d MB."),
    "unsupported_format": _l("Only Word (.docx) and plain text (.txt) articles can be "
                             "imported: save the article in one of these formats."),
    "encoding": _l("The file is not text in UTF-8, GB18030 or UTF-16: save it again as "
                   "UTF-8 text or as a Word (.docx) file."),
    "docx_invalid": _l("The file could not be opened as a Word (.docx) document."),
    "docx_too_large": _l("The Word document unpacks to more than %(limit)d MB."),
}


def warning_text(warning: ArticleWarning) -> str:
    template = WARNINGS.get(warning.code)
    if template is None:
        return warning.message
    return str(template) % {"first": warning.first_line, "last": warning.last_line,
                            **warning.params}


def unreadable_text(error: ArticleUnreadable) -> str:
    template = UNREADABLE.get(error.code)
    return str(template) % error.params if template is not None else error.message
