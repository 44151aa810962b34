"""Forms of the course editor; FlaskForm everywhere so CSRF is checked on every POST."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class NewCourseForm(FlaskForm):
    title = StringField(_l("Course title"), filters=[_strip], validators=[
        DataRequired(_l("Enter the course title.")),
        Length(max=200, message=_l("Use at most 200 characters."))])
    slug = StringField(_l("Short name (slug)"), filters=[_strip], validators=[
        DataRequired(_l("Enter a short name.")),
        Regexp(r"^[a-z0-9][a-z0-9-]{0,99}$",
               message=_l("Use lower-case letters, digits and dashes only."))],
        render_kw={"autocomplete": "off", "autocapitalize": "none"})


class EditFileForm(FlaskForm):
    """One draft file as text. ``revision`` is the one the editor opened: a save over a
    newer save is refused with both texts shown, never silently overwritten."""

    text = TextAreaField(_l("Text"), validators=[
        Length(max=200_000, message=_l("Use at most 200 000 characters."))])
    revision = HiddenField()


class PreviewForm(FlaskForm):
    text = TextAreaField(validators=[Length(max=200_000)])


class PublishForm(FlaskForm):
    confirm_publish = BooleanField(_l("Yes, publish this draft to trainees"),
                                   validators=[DataRequired(_l("Tick the box to confirm."))])


class DiscardForm(FlaskForm):
    confirm_discard = BooleanField(_l("Yes, throw away every unpublished change"),
                                   validators=[DataRequired(_l("Tick the box to confirm."))])


class SettingsForm(FlaskForm):
    """The course's settings; ``revision`` is course.yml's, as the page showed it."""

    title = StringField(_l("Course title"), filters=[_strip], validators=[
        DataRequired(_l("Enter the course title.")),
        Length(max=200, message=_l("Use at most 200 characters."))])
    description = TextAreaField(_l("Description"), filters=[_strip], validators=[
        Length(max=5000, message=_l("Use at most 5000 characters."))])
    audience = StringField(_l("Audience"), filters=[_strip], validators=[
        Length(max=200, message=_l("Use at most 200 characters."))])
    pass_mark = IntegerField(_l("Pass mark (%)"), validators=[
        Optional(), NumberRange(0, 100, message=_l("Enter a number from 0 to 100."))])
    revision = HiddenField()


class AddModuleForm(FlaskForm):
    title = StringField(_l("Title of the new chapter"), filters=[_strip], validators=[
        DataRequired(_l("Enter the chapter's title.")),
        Length(max=200, message=_l("Use at most 200 characters."))])
    revision = HiddenField()


class MoveModuleForm(FlaskForm):
    step = HiddenField()
    revision = HiddenField()


class RemoveModuleForm(FlaskForm):
    confirm_remove = BooleanField(_l("Yes, remove this chapter from the draft"),
                                  validators=[DataRequired(_l("Tick the box to confirm."))])
    revision = HiddenField()


class ArticleUploadForm(FlaskForm):
    """An article (.txt or .docx) to turn into a draft course."""

    file = FileField(_l("Article file"), validators=[
        FileRequired(_l("Choose a file to upload.")),
        FileAllowed(["txt", "docx", "md"], _l("Use a text (.txt) or Word (.docx) file."))])
    slug = StringField(_l("Short name (slug)"), filters=[_strip], validators=[
        DataRequired(_l("Enter a short name.")),
        Regexp(r"^[a-z0-9][a-z0-9-]{0,99}$",
               message=_l("Use lower-case letters, digits and dashes only."))],
        render_kw={"autocomplete": "off", "autocapitalize": "none"})
    title = StringField(_l("Course title (optional)"), filters=[_strip], validators=[
        Length(max=200, message=_l("Use at most 200 characters."))])


class AddCoauthorForm(FlaskForm):
    username = StringField(_l("Username of the trainer"), filters=[_strip], validators=[
        DataRequired(_l("Enter a username.")),
        Length(max=80, message=_l("Use at most 80 characters."))],
        render_kw={"autocomplete": "off", "autocapitalize": "none"})


class RequiredForm(FlaskForm):
    required = HiddenField()
    revision = HiddenField()
