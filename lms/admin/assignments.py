"""Assignment and override views: assign to a unit or a person, withdraw, mark complete.

Thin, as in ``views.py``: find the unit or person, check ``admin_unit``, parse one form, one
service call, then flash and 303, or re-render with the refusal next to its field (400/409).
The unit page shows the unit's assignments (``views._unit_page``); a person's courses have
their own page, ``/admin/people/<id>/courses``, which the people pages link to.
"""

from __future__ import annotations

import re

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.admin import bp
from lms.admin.assignment_forms import AssignCourseForm, OverrideForm, UnassignForm
from lms.admin.views import _db, _unit, _unit_page
from lms.auth.session import current_learner, current_scope, login_required
from lms.db import MAX_ID
from lms.models import Assignment, Course, Module, OrgUnit, User
from lms.services import assignment_lists, assignments, due_dates, overrides
from lms.services.assignments import AssignmentRefused
from lms.services.errors import InvalidInput, NotFound, PermissionDenied
from lms.services.org import name_path
from lms.services.overrides import OverrideRefused

#: What people read when the rules refuse (``AssignmentRefused`` / ``OverrideRefused``).
REFUSALS = {
    "unpublished": _l("Choose a published course."),
    "due_in_past": _l("The due date has already passed. Choose today or a later day."),
    "due_too_late": _l("Enter a date between 2000-01-01 and 2099-12-31."),
    "inactive_unit": _l("This unit is deactivated; courses cannot be assigned to it."),
    "inactive_person": _l("This person is deactivated; courses cannot be assigned to them."),
    "already_removed": _l("This assignment was already withdrawn."),
    "reason_required": _l("Enter a reason."),
    "reason_too_long": _l("Use at most 500 characters."),
    "unknown_module": _l("Choose a course or a section."),
    "already_completed": _l("This is already completed; there is nothing to mark."),
}
CONFLICTS = {"already_removed", "already_completed"}
FIELDS = {"unpublished": "course_id", "due_in_past": "due_on", "due_too_late": "due_on", "reason_required": "reason",
          "reason_too_long": "reason", "unknown_module": "target",
          "already_completed": "target"}


def _get(model, row_id: int):
    row = _db().get(model, row_id) if 0 < row_id <= MAX_ID else None
    if row is None:
        raise NotFound(f"no {model.__name__} {row_id}")
    return row


def _person(person_id: int) -> User:
    """The person in the URL, if the signed-in user administers their unit (else 404 / 403)."""
    person = _get(User, person_id)
    if not assignments.may_administer(current_scope(), person):
        raise PermissionDenied("not an administrator of this person's unit")
    return person


def _refusal(form, error: InvalidInput) -> int:
    """Put the refusal next to its field (or flash it); the status to answer with."""
    reason = getattr(error, "reason", "")
    message = str(REFUSALS.get(reason, _("The change was not saved.")))
    field = getattr(form, FIELDS.get(reason, ""), None) if form is not None else None
    if field is not None:
        field.errors = [*field.errors, message]
    else:
        flash(message, "error")
    return 409 if reason in CONFLICTS else 400


def _expired(form) -> None:
    if form.errors.get("csrf_token"):
        flash(_("The form expired. Please submit it again."), "error")


def _course(form: AssignCourseForm) -> Course | None:
    course_id = form.course_id.data
    course = _db().get(Course, course_id) if course_id and 0 < course_id <= MAX_ID else None
    if course is None or not course.published:
        form.course_id.errors = [*form.course_id.errors, str(REFUSALS["unpublished"])]
        return None
    return course


@bp.route("/units/<lms_id:unit_id>/assignments", methods=["POST"])
@login_required
def assign_to_unit(unit_id: int):
    unit = _unit(unit_id)
    form = AssignCourseForm().offer(assignment_lists.assignable_courses(_db()))
    if not form.validate_on_submit():
        _expired(form)
        return _unit_page(unit, 400, assign=form)
    course = _course(form)
    if course is None:
        return _unit_page(unit, 400, assign=form)
    try:
        assignments.assign_course(_db(), current_learner(), course, unit=unit,
                                  due_on=form.due_on.data)
    except AssignmentRefused as error:
        return _unit_page(unit, _refusal(form, error), assign=form)
    flash(_("“%(course)s” is assigned to %(unit)s and all its sub-units.", course=course.title,
            unit=unit.name), "info")
    return redirect(url_for("lms.admin.unit", unit_id=unit.id), 303)


def _back_to(assignment: Assignment):
    if assignment.org_unit_id is not None:
        return redirect(url_for("lms.admin.unit", unit_id=assignment.org_unit_id), 303)
    return redirect(url_for("lms.admin.person_courses", person_id=assignment.user_id), 303)


@bp.route("/assignments/<lms_id:assignment_id>/unassign", methods=["POST"])
@login_required
def unassign(assignment_id: int):
    assignment = _get(Assignment, assignment_id)
    if assignment.org_unit_id is not None:
        unit: OrgUnit | None = _unit(assignment.org_unit_id)
    else:
        unit = None
        _person(assignment.user_id)

    def again(status: int, **context):
        return (_unit_page(unit, status, **context) if unit is not None
                else _person_page(assignment.user, status, **context))

    form = UnassignForm()
    if not form.validate_on_submit():
        _expired(form)
        return again(400, unassign_error=assignment.id)
    try:
        assignments.unassign(_db(), current_learner(), assignment)
    except AssignmentRefused as error:
        return again(_refusal(None, error))
    flash(_("The assignment was withdrawn. People keep their records and progress."), "info")
    return _back_to(assignment)


def _person_page(person: User, status: int = 200, **forms):
    courses = assignment_lists.assignable_courses(_db())
    forms = {"assign": AssignCourseForm(formdata=None).offer(courses),
             "override": OverrideForm(formdata=None).offer(courses),
             "unassign": UnassignForm(formdata=None), **forms}
    return render_template(
        "lms/admin/person_courses.html", person=person,
        unit_path=name_path(_db(), person.org_unit) if person.org_unit is not None else None,
        listing=assignment_lists.person_courses(_db(), person), today=assignments.today(),
        due_state=due_dates.due_state, **forms), status


@bp.route("/people/<lms_id:person_id>/courses")
@login_required
def person_courses(person_id: int):
    return _person_page(_person(person_id))


@bp.route("/people/<lms_id:person_id>/courses/assign", methods=["POST"])
@login_required
def assign_to_person(person_id: int):
    person = _person(person_id)
    form = AssignCourseForm().offer(assignment_lists.assignable_courses(_db()))
    if not form.validate_on_submit():
        _expired(form)
        return _person_page(person, 400, assign=form)
    course = _course(form)
    if course is None:
        return _person_page(person, 400, assign=form)
    try:
        assignments.assign_course(_db(), current_learner(), course, people=[person],
                                  due_on=form.due_on.data)
    except AssignmentRefused as error:
        return _person_page(person, _refusal(form, error), assign=form)
    flash(_("“%(course)s” is assigned to %(name)s.", course=course.title,
            name=person.display_name), "info")
    return redirect(url_for("lms.admin.person_courses", person_id=person.id), 303)


def _target(form: OverrideForm) -> tuple[Course, Module | None] | None:
    kind, _sep, number = (form.target.data or "").partition("-")
    row_id = int(number) if re.fullmatch(r"[0-9]{1,10}", number) else 0
    if kind == "course":
        course = _db().get(Course, row_id) if 0 < row_id <= MAX_ID else None
        if course is not None and course.published:
            return course, None
    elif kind == "module":
        module = _db().get(Module, row_id) if 0 < row_id <= MAX_ID else None
        if module is not None and module.is_current and module.course.published:
            return module.course, module
    form.target.errors = [*form.target.errors, str(REFUSALS["unknown_module"])]
    return None


@bp.route("/people/<lms_id:person_id>/courses/override", methods=["POST"])
@login_required
def override_completion(person_id: int):
    person = _person(person_id)
    form = OverrideForm().offer(assignment_lists.assignable_courses(_db()))
    if not form.validate_on_submit():
        _expired(form)
        return _person_page(person, 400, override=form)
    target = _target(form)
    if target is None:
        return _person_page(person, 400, override=form)
    course, module = target
    try:
        overrides.override_completion(_db(), current_learner(), person, course, module=module,
                                      reason=form.reason.data)
    except OverrideRefused as error:
        return _person_page(person, _refusal(form, error), override=form)
    flash(_("Marked complete for %(name)s.", name=person.display_name), "info")
    return redirect(url_for("lms.admin.person_courses", person_id=person.id), 303)
