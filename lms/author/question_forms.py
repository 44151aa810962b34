"""A FlaskForm built from a question type's ``form_fields``, so plugin types get a page too.

No validators here: the values go through the type's own ``load_spec``, which decides and
names the field at fault, exactly as for a course file. CSRF comes with FlaskForm.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from lms.questions.base import FormField, QuestionType

#: Names a FlaskForm uses itself, or this form's own fields: a key so named gets a prefix.
RESERVED = {"cite", "revision", "csrf_token", "data", "errors", "meta", "process", "validate",
            "populate_obj", "form_errors", "hidden_tag", "type", "step"}


class QuestionForm(FlaskForm):
    """What every question has besides its type's fields."""

    cite = TextAreaField(_l("Passage it rests on (optional)"), validators=[
        Length(max=2000, message=_l("Use at most 2000 characters."))],
        render_kw={"rows": 3})
    revision = HiddenField()


class RemoveQuestionForm(FlaskForm):
    confirm_remove = BooleanField(_l("Yes, remove this question from the draft"),
                                  validators=[DataRequired(_l("Tick the box to confirm."))])
    revision = HiddenField()


def attribute(name: str) -> str:
    """The form field (and HTML name) for a definition key."""
    if name.isidentifier() and name not in RESERVED and not name.startswith("_"):
        return name
    return "field_" + re.sub(r"\W", "_", name)


def _field(field: FormField):
    render = {"required": True} if field.required else {}
    if field.kind in ("textarea", "lines"):
        return TextAreaField(field.label, render_kw={
            **render, "rows": 6 if field.kind == "lines" or field.name == "prompt" else 4})
    if field.kind == "choice":
        choices = [SelectChoice("", _l("Choose…")),
                   *(SelectChoice(value, label) for value, label in field.choices)]
        return SelectField(field.label, choices=choices, validate_choice=False,
                           render_kw=render)
    if field.kind == "integer":
        return StringField(field.label, render_kw={**render, "inputmode": "numeric"})
    return StringField(field.label, render_kw={**render, "autocomplete": "off"})


def build_form(question_type: QuestionType, **kwargs) -> tuple[QuestionForm, list[FormField]]:
    """The type's form and its fields in order (``kwargs`` go to the form, e.g. ``data``)."""
    fields = question_type.form_fields()
    form_class = type(f"{type(question_type).__name__}Form", (QuestionForm,),
                      {attribute(field.name): _field(field) for field in fields})
    return form_class(**kwargs), fields


def typed_values(form: QuestionForm, fields: list[FormField]) -> dict[str, str]:
    return {field.name: form[attribute(field.name)].data or "" for field in fields}


def initial_data(values: dict[str, str], fields: list[FormField]) -> dict[str, str]:
    return {attribute(field.name): values.get(field.name, "") for field in fields}
