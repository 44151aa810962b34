"""Values read from a request, bounded before they reach a query or date arithmetic."""

from __future__ import annotations

from datetime import date

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter
from werkzeug.routing import ValidationError as NoMatch
from wtforms.validators import ValidationError

from lms.db import MAX_ID

#: Far beyond any real list (100 000 pages of 20), far below any integer overflow.
MAX_PAGE = 100_000
#: Dates people may enter: training records and due dates live well inside these, and
#: date arithmetic (a day or a week later) never leaves Python's range.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2099, 12, 31)


def page_arg(name: str = "page") -> int:
    """``?page=`` as 1…MAX_PAGE: junk and zero mean the first page, huge numbers the last
    page a service can still clamp to its own page count."""
    number = request.args.get(name, 1, type=int) or 1
    return min(max(number, 1), MAX_PAGE)


class IdConverter(IntegerConverter):
    """``<lms_id:name>``: a row id, 1…MAX_ID in ASCII digits. Anything else matches no route
    (a 404) before a view or the database sees it, where ``<lms_id:>`` would pass 2**63 on."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map) -> None:
        super().__init__(map, min=1, max=MAX_ID)

    def to_python(self, value: str) -> int:
        if len(value) > 10:
            raise NoMatch()
        return super().to_python(value)


def int_arg(name: str, low: int = 1, high: int = MAX_ID) -> int | None:
    """``?name=`` as a whole number from low to high; absent, junk or out of range is None."""
    value = request.args.get(name, type=int)
    return value if value is not None and low <= value <= high else None


def id_arg(name: str) -> int | None:
    """``?name=`` naming a row: None when absent or not a number (a filter left unset), a
    404 for a number no row can have (before the database compares it)."""
    value = request.args.get(name, type=int)
    if value is not None and not 1 <= value <= MAX_ID:
        raise NotFound(f"no row {name}={value}")
    return value


def date_in_range(value: date) -> bool:
    return EARLIEST_DATE <= value <= LATEST_DATE


class DateInRange:
    """WTForms validator: a date between EARLIEST_DATE and LATEST_DATE."""

    message = _l("Enter a date between 2000-01-01 and 2099-12-31.")

    def __call__(self, form, field) -> None:
        if field.data is not None and not date_in_range(field.data):
            raise ValidationError(str(self.message))
