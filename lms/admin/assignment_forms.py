"""Forms for assigning courses and marking completions, and the unit page's assignment section.

Apart from ``views.py`` so the unit page (``views._unit_page``) can show the section without
the two view modules importing each other. Fields carry their own ids rather than a form
prefix (which would rename the CSRF field too), so several forms share a page without clashes.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import BooleanField, DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from lms.models import Course, OrgUnit
from lms.request_args import DateInRange
from lms.services.assignment_lists import assignable_courses, unit_assignments
from lms.services.overrides import REASON_MAX


def _strip(value: str | None) -> str | None:
    return value.strip() if value else value


class AssignCourseForm(FlaskForm):
    """The course is checked by the view and the service (it must exist and be published)."""

    course_id = SelectField(_l("Course"), coerce=int, validate_choice=False, id="assign-course",
                            validators=[InputRequired(_l("Choose a course."))])
    due_on = DateField(_l("Due date (optional)"), validators=[Optional(), DateInRange()],
                       id="assign-due")

    def offer(self, courses: list[Course]) -> AssignCourseForm:
        self.course_id.choices = [(course.id, course.title) for course in courses]
        return self


class UnassignForm(FlaskForm):
    """Withdrawing an assignment changes what people see on their home, so it is confirmed."""

    confirm = BooleanField(_l("Yes, withdraw this assignment"),
                           validators=[DataRequired(_l("Tick the box to confirm."))])


class OverrideForm(FlaskForm):
    """``target`` is "course-<id>" (the whole course) or "module-<id>"."""

    target = SelectField(_l("Mark complete"), validate_choice=False, id="override-target",
                         validators=[InputRequired(_l("Choose a course or a section."))])
    reason = TextAreaField(_l("Reason (shown to the person)"), filters=[_strip],
                           id="override-reason",
                           validators=[DataRequired(_l("Enter a reason.")),
                                       Length(max=REASON_MAX,
                                              message=_l("Use at most 500 characters."))])

    def offer(self, courses: list[Course]) -> OverrideForm:
        self.target.choices = {
            course.title: [(f"course-{course.id}", _l("Whole course"))]
            + [(f"module-{module.id}", module.title) for module in course.modules]
            for course in courses}
        return self


def unit_section(session: Session, unit: OrgUnit) -> dict:
    """What the unit page needs for its assignments: the list and the two blank forms."""
    return {"assignments": unit_assignments(session, unit),
            "assign": AssignCourseForm(formdata=None).offer(assignable_courses(session)),
            "unassign": UnassignForm(formdata=None)}
