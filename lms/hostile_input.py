"""Values no person types, refused as the client's mistake (400) rather than failing as ours.

PostgreSQL refuses a NUL byte in any text value, so ``/courses/a%00b`` or a form field
holding one raised a DataError deep in a query: a 500 on PostgreSQL where SQLite answered.
A NUL in the path or the query string is refused before any view runs; a value the database
still refuses (a NUL in a form field, a number beyond a column's range) is a 400 page.
"""

from __future__ import annotations

from flask import abort, current_app, request
from sqlalchemy.exc import DataError


def refuse_nul_bytes() -> None:
    """``before_request``: the path and query only (reading the body here would parse an
    upload before its view has set the upload's own size limit)."""
    if "\x00" in request.path or any("\x00" in text for key, values in request.args.lists()
                                     for text in (key, *values)):
        abort(400)


def value_refused_by_database(error: DataError):
    """The request's value could not be stored or compared: undo the failed transaction (a
    PostgreSQL transaction accepts nothing after an error) and answer 400."""
    current_app.logger.warning("value refused by the database on %s: %s", request.path,
                               getattr(error, "orig", None) or error)
    current_app.extensions["lms"].session().rollback()
    from lms.web import render_error  # lms.web registers this handler

    return render_error(400)
