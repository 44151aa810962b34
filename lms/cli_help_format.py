"""Help pages laid out for Chinese: wrapped by display columns, full-width headings.

Click wraps help with ``textwrap``, which counts characters and breaks only at spaces: a
Chinese sentence (two columns a character, no spaces) runs far past the terminal's width.
"""

from __future__ import annotations

import re
import unicodedata

import click

CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
_TOKENS = re.compile(r"\s+|\[[^\]\n]*\]|[\u3000-\u9fff\uff00-\uffef]|[^\s\u3000-\u9fff\uff00-\uffef]+")
#: Punctuation that never begins a line (it stays with the character before it).
_CLOSING = set("，。、；：！？）」』】》”’")


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal (a CJK character takes two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def wrap(text: str, columns: int) -> list[str]:
    """Lines of at most ``columns``, breaking between words or between CJK characters, never
    inside [brackets] nor before closing punctuation; paragraphs (blank lines) are kept."""
    lines: list[str] = []
    for number, paragraph in enumerate(re.split(r"\n\s*\n", text.strip())):
        if number:
            lines.append("")
        line: list[str] = []  # tokens, spaces included
        for token in _TOKENS.findall(paragraph):
            if token.isspace():
                if line:
                    line.append(" ")
                continue
            if line and width("".join(line) + token) > columns:
                carried = []
                if token in _CLOSING and len(line) > 1 and not line[-1].isspace():
                    carried = [line.pop()]  # the punctuation keeps the word before it
                lines.append("".join(line).rstrip())
                line = carried
            line.append(token)
        lines.append("".join(line).rstrip())
    return lines


class CjkHelpFormatter(click.HelpFormatter):
    """Click's formatter with display-width wrapping and a heading colon in the text's script."""

    def write_heading(self, heading: str) -> None:
        colon = "：" if CJK.search(heading) else ":"
        self.write(f"{'':>{self.current_indent}}{heading}{colon}\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for line in wrap(text, max(self.width - self.current_indent, 11)):
            self.write(f"{indent}{line}\n" if line else "\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((width(first) for first, _ in rows), default=0), col_max) + col_spacing
        text_width = max(self.width - first_col - 2, 10)
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap(second, text_width) or [""]
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")


class LmsContext(click.Context):
    formatter_class = CjkHelpFormatter
