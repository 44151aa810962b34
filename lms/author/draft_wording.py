"""What each refusal of a draft change says, in the UI's language (codes are stable)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.services.drafts import DraftRefused

REFUSALS = {
    "no_course_file": _l("A course needs its settings file course.yml."),
    "too_many_files": _l("A course has at most 200 files."),
    "bad_name": _l("That is not a course file name."),
    "too_long": _l("A file holds at most 200 000 characters."),
    "bad_course_file": _l("The course settings could not be read."),
    "bad_slug": _l("Use lower-case letters, digits and dashes only."),
    "bad_title": _l("Enter a title of at most 200 characters."),
    "slug_taken": _l("A course with this short name exists already: choose another."),
    "gone": _l("This file is no longer in the draft."),
    "no_draft": _l("There is no draft to publish."),
    "slug_changed": _l("A draft cannot change the course's short name (slug)."),
    "last_module": _l("A course keeps at least one chapter."),
    "bad_front_matter": _l("The chapter's settings at the top of its file cannot be read: edit it as text."),
}


def refusal_text(refused: DraftRefused) -> str:
    return str(REFUSALS.get(refused.code, refused.message))
