"""Write a course's content back as course files: ``course.yml`` and one Markdown file per
module, exactly as ``lms.content.loader`` reads them.

The output is canonical: the same content always gives the same text, and reading the files
back and writing them again gives them unchanged, so an exported course can be compared,
kept under version control and imported again. Every question is written with its key as
``id:``, so re-importing maps onto the same questions and their attempts and statistics.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import yaml
from flask_babel import lazy_gettext as _l

from lms.content.identity import is_question_key
from lms.content.loader import QUIZ_BLOCK
from lms.plugins import QuestionTypeRegistry
from lms.questions.base import NoFormat, QuestionType, SpecError
from lms.questions.details import KEYS as DETAIL_KEYS
from lms.quiz_settings import QuizSettings

if TYPE_CHECKING:
    from lms.services.course_content import CourseContent, ModuleContent, QuestionContent

SPEC_KEYS = ("prompt", "options", "answer", "explanation", "points")
DEFAULT_QUIZ = QuizSettings()


class CourseWriteError(ValueError):
    """The content cannot be written as files that read back the same; names the question
    or module. The message is a lazy msgid: ``str()`` says it in the language of wherever it
    is shown (the CLI's ``LMS_DEFAULT_LOCALE``, the trainer's page)."""


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key, text on one line or as a ``|`` block."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value,
                                   style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)


def dump_yaml(value: Any) -> str:
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=1 << 30)


def module_file_name(position: int, slug: str, count: int = 99) -> str:
    """``01-intro.md``: numbered in course order, wide enough for ``count`` modules."""
    return f"{position:0{max(2, len(str(count)))}d}-{slug}.md"


def write_course(slug: str, content: CourseContent, registry: QuestionTypeRegistry, *,
                 published: bool = True) -> dict[str, str]:
    """The course's files by name: ``course.yml`` and one ``NN-slug.md`` per module;
    ``published: false`` is written for a course hidden from trainees."""
    count = len(content.modules)
    files = {module_file_name(position, module.slug, count): write_module(module, registry)
             for position, module in enumerate(content.modules, start=1)}
    course: dict[str, Any] = {"slug": slug, "title": content.title}
    course.update({key: value for key, value in (("description", content.description),
                                                 ("audience", content.audience)) if value})
    course.update(pass_mark=content.pass_mark, **({} if published else {"published": False}),
                  **({"rules": content.rules} if content.rules else {}), modules=list(files))
    return {"course.yml": dump_yaml(course), **files}


def write_module(module: ModuleContent, registry: QuestionTypeRegistry) -> str:
    """Front matter, the Markdown text, then a ```quiz block when the module asks questions."""
    if QUIZ_BLOCK.search(module.source):
        raise CourseWriteError(_l("module %(slug)s: its text contains a ```quiz block",
                                  slug=module.slug))
    front: dict[str, Any] = {"slug": module.slug, "title": module.title,
                             "minutes": module.minutes}
    if not module.required:
        front["required"] = False
    if module.pass_mark is not None:
        front["pass_mark"] = module.pass_mark
    if module.min_minutes is not None:
        front["min_minutes"] = module.min_minutes
    settings = QuizSettings.from_json(module.quiz_settings).to_json()
    quiz = {key: value for key, value in settings.items()
            if value != getattr(DEFAULT_QUIZ, key)}
    if quiz:
        front["quiz"] = quiz
    text = f"---\n{dump_yaml(front)}---\n\n{module.source.strip()}\n"
    if module.questions:
        questions = [write_question(q, registry) for q in module.questions]
        text += f"\n```quiz\n{dump_yaml(questions)}```\n"
    return text


def write_question(question: QuestionContent, registry: QuestionTypeRegistry) -> dict[str, Any]:
    """The question as a ```quiz item, checked to read back as the same definition; its
    ``cite:`` (read by the loader for every type, not by the type) comes last."""
    if not is_question_key(question.key):
        raise CourseWriteError(_l("question %(key)s: the key cannot be written as an id",
                                  key=question.key))
    question_type = registry.get(question.type)
    if question_type is None:
        raise CourseWriteError(_l("question %(key)s: question type %(type)r is not installed",
                                  key=question.key, type=question.type))
    spec = {"prompt": question.prompt, "options": question.options, "answer": question.answer,
            "explanation": question.explanation, "points": question.points,
            **(question.details or {})}
    for written in _forms(question_type, spec):
        try:
            loaded = question_type.load_spec({"type": question.type, **written})
        except SpecError:
            continue
        kept = {k: loaded[k] for k in DETAIL_KEYS if k in loaded}
        if _plain({**{k: loaded.get(k) for k in SPEC_KEYS}, **kept}) == _plain(spec):
            cite = {} if question.cite is None else {"cite": question.cite}
            return {"id": question.key, "type": question.type, **written, **cite}
    raise CourseWriteError(_l("question %(key)s: type %(type)r cannot write it as a course "
                              "file", key=question.key, type=question.type))


def _forms(question_type: QuestionType, spec: dict[str, Any]):
    """The type's own course-file form, then its Excel form (plugins written before
    ``file_write`` existed still round-trip through it)."""
    try:
        yield question_type.file_write(spec)
    except (NoFormat, ValueError, KeyError, TypeError):
        pass
    try:
        cells = question_type.excel_write(spec)
    except (NoFormat, ValueError, KeyError, TypeError):
        return
    written: dict[str, Any] = {"prompt": spec["prompt"]}
    if cells.options:
        written["options"] = list(cells.options)
    if cells.answer:
        written["answer"] = cells.answer
    if spec["explanation"]:
        written["explanation"] = spec["explanation"]
    if spec["points"] != 1:
        written["points"] = spec["points"]
    yield {**written, **{k: spec[k] for k in DETAIL_KEYS if spec.get(k)}}


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False, sort_keys=True))
