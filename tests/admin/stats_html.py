"""Read the statistics pages as a person would: each table's rows as text, and the summary."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[dict[str, str]]] = {}
        self.figures: dict[str, str] = {}
        self.links: dict[str, list[str | None]] = {}
        self._table: str | None = None
        self._row: dict[str, str] | None = None
        self._cell: str | None = None
        self._text: list[str] = []
        self._link: str | None = None
        self._figure: str | None = None
        self._in_dd = False
        self._head = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id"):
            self._table = attrs["id"]
            self.tables[self._table] = []
            self.links[self._table] = []
        elif tag == "thead":
            self._head = True
        elif tag == "tr" and self._table and not self._head:
            self._row, self._link = {}, None
        elif tag in ("td", "th") and self._row is not None and "data-column" in attrs:
            self._cell, self._text = attrs["data-column"], []
        elif tag == "a" and self._cell is not None and self._link is None:
            self._link = attrs.get("href")
        elif tag == "div" and "data-figure" in attrs:
            self._figure = attrs["data-figure"]
        elif tag == "dd" and self._figure:
            self._in_dd, self._text = True, []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row[self._cell] = " ".join("".join(self._text).split())
            self._cell = None
        elif tag == "thead":
            self._head = False
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(self._row)
            self.links[self._table].append(self._link)
            self._row = None
        elif tag == "table":
            self._table = None
        elif tag == "dd" and self._in_dd:
            self.figures[self._figure] = " ".join("".join(self._text).split())
            self._in_dd, self._figure = False, None

    def handle_data(self, data):
        if self._cell is not None or self._in_dd:
            self._text.append(data)


class Page:
    def __init__(self, html: str):
        parser = _Tables()
        parser.feed(html)
        self.html = html
        self.tables = parser.tables
        self.figures = parser.figures
        self.links = parser.links

    def rows(self, table: str) -> list[dict[str, str]]:
        """Body rows of a table, each as {column key: text shown} (none: no such table)."""
        return self.tables.get(table, [])

    def column(self, table: str, column: str) -> list[str]:
        return [row[column] for row in self.rows(table)]

    def by_first(self, table: str, column: str) -> dict[str, dict[str, str]]:
        return {row[column]: row for row in self.rows(table)}


def page_of(response) -> Page:
    assert response.status_code in (200, 400), response.status_code
    return Page(response.get_data(as_text=True))


def strip_tags(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
