"""What a notice says in the reader's language: the notices page and the e-mail share it.

A notice row keeps only facts (kind, course, due date, counts), so the words follow the
reader's language and the catalogue, never the language the reminder job ran in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr
from typing import Any

from flask import current_app, url_for
from flask_babel import gettext as _


@dataclass(frozen=True)
class Link:
    label: str
    endpoint: str
    values: dict[str, Any] = field(default_factory=dict)

    def url(self, external: bool = False) -> str:
        return url_for(self.endpoint, _external=external, **self.values)


@dataclass(frozen=True)
class Wording:
    title: str
    lines: list[str]
    links: list[Link]


def word(kind: str, params: dict[str, Any], course_title: str | None,
         course_slug: str | None) -> Wording:
    """Title, lines and links of one notice (a kind this version does not know reads plainly)."""
    course = course_title or ""
    course_link = ([Link(_("Open the course"), "lms.learn.course", {"slug": course_slug})]
                   if course_slug else [])
    if kind == "due_soon":
        return Wording(_("“%(course)s” is due on %(date)s", course=course,
                         date=params.get("due_on", "")),
                       [_("Please complete it by the due date.")], course_link)
    if kind == "overdue":
        return Wording(_("“%(course)s” was due on %(date)s and is not completed",
                         course=course, date=params.get("due_on", "")),
                       [_("Please complete it as soon as possible.")], course_link)
    if kind == "unit_digest":
        courses = params.get("courses", [])
        return Wording(
            _("Overdue training in your units (week of %(week)s)", week=params.get("week", "")),
            [_("“%(course)s”: %(n)s people overdue", course=item["title"], n=item["overdue"])
             for item in courses],
            [Link(_("Overdue list of “%(course)s”", course=item["title"]),
                  "lms.admin.stats_overdue", {"course_slug": item["slug"]})
             for item in courses])
    if kind == "attempt_graded" and course_slug:
        return _graded(params, course_slug)
    return Wording(_("A notice about “%(course)s”", course=course) if course else _("A notice"),
                   [], course_link)


def _graded(params: dict[str, Any], course_slug: str) -> Wording:
    """A trainer graded the person's short answer: the score, and the way to the comments."""
    values = {"module": params.get("module_title", ""), "n": params.get("attempt_number", ""),
              "score": f"{params.get('score') or 0:g}"}
    line = (_("“%(module)s”, attempt %(n)s: %(score)s points, passed.", **values)
            if params.get("passed") else
            _("“%(module)s”, attempt %(n)s: %(score)s points, not passed yet.", **values))
    return Wording(_("Your short answer was graded"), [line], [
        Link(_("See the grade and the trainer's comments"), "lms.learn.attempt",
             {"slug": course_slug, "module_slug": params.get("module_slug", ""),
              "attempt_id": params.get("attempt_id", 0)})])


def mail_message(kind: str, params: dict[str, Any], course_title: str | None,
                 course_slug: str | None, *, sender: str, to_name: str,
                 to_address: str) -> EmailMessage:
    """The notice as a UTF-8 e-mail; links only when SERVER_NAME says where the site is."""
    current_app.extensions["lms"].translations.as_default()  # as the web pages: LMS's catalogue
    wording = word(kind, params, course_title, course_slug)
    site = _("Party Training Academy")
    lines = [_("Dear %(name)s,", name=to_name), "", wording.title, *wording.lines, ""]
    if current_app.config.get("SERVER_NAME"):
        lines += [_("%(label)s: %(url)s", label=link.label, url=link.url(external=True))
                  for link in wording.links]
        lines += [_("All your notices: %(url)s", url=url_for("lms.learn.notices",
                                                            _external=True))]
    else:
        lines.append(_("Sign in to %(site)s to see your notices.", site=site))
    message = EmailMessage()
    message["Subject"] = _("[%(site)s] %(title)s", site=site, title=wording.title)
    message["From"] = formataddr((site, sender))
    message["To"] = formataddr((to_name, to_address))
    message.set_content("\n".join(lines) + "\n", charset="utf-8")
    return message
