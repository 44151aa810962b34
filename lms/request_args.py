"""Values read from a request, bounded before they reach a query or date arithmetic."""

from __future__ import annotations

from datetime import date

from flask import request
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

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


def date_in_range(value: date) -> bool:
    return EARLIEST_DATE <= value <= LATEST_DATE


class DateInRange:
    """WTForms validator: a date between EARLIEST_DATE and LATEST_DATE."""

    message = _l("Enter a date between 2000-01-01 and 2099-12-31.")

    def __call__(self, form, field) -> None:
        if field.data is not None and not date_in_range(field.data):
            raise ValidationError(str(self.message))
