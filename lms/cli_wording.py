"""What the ``flask lms`` commands say when a service refuses, in the site's language.

The services refuse in English for logs (``InvalidInput``); the operator reads the refusal in
``LMS_DEFAULT_LOCALE``, as the web pages keep their own words for the same rules
(lms.admin.people). A refusal not listed here is shown as the service wrote it.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms.services.accounts import MIN_PASSWORD_LENGTH
from lms.services.errors import InvalidInput
from lms.services.grants import GrantTarget
from lms.services.org import KINDS_BY_DEPTH, name_path

#: (field, a word of the service's message or "" for any, what the operator reads)
REFUSALS = (
    ("username", "taken", _l("This username is taken: choose another one.")),
    ("username", "", _l("A username has 2 to 80 letters, digits or _ . @ -.")),
    ("name", "", _l("The display name must have 1 to 100 characters.")),
    ("email", "", _l("This is not an e-mail address: write one such as name@example.com.")),
    ("password", "", _l("The password must have at least %(count)s characters.")),
    ("new_password", "", _l("The password must have at least %(count)s characters.")),
    ("user", "host", _l("This person signs in through the host application: their password "
                        "is not kept here.")),
    ("unit", "levels", _l("A unit path has at most %(levels)s levels.")),
    ("unit", "longer", _l("A unit name has at most 100 characters.")),
    ("unit", "", _l("Write the unit path as 党委/总支/支部.")),
)


def refusal_text(error: InvalidInput) -> str:
    """The refusal in the site's language when it is one of ours, else as the service said."""
    for field, word, text in REFUSALS:
        if error.field == field and word in error.message:
            return str(text) % {"count": MIN_PASSWORD_LENGTH, "levels": len(KINDS_BY_DEPTH)}
    return error.message


def no_user(username: str) -> str:
    return _("There is no user %(username)s.", username=username)


def no_course(slug: str) -> str:
    return _("There is no course %(slug)s.", slug=slug)


def no_unit(path: str) -> str:
    return _("There is no unit %(path)s.", path=path)


def grant_text(session: Session, target: GrantTarget) -> str:
    """"unit admin of 党委/…", "author of slug" or "site admin", as the operator reads it."""
    if target.unit is not None:
        return _("unit admin of %(path)s", path=name_path(session, target.unit))
    if target.course is not None:
        return _("author of %(slug)s", slug=target.course.slug)
    return _("site admin")
