"""Read and validate a course folder (``course.yml`` + Markdown modules) without touching the DB.

Every problem is reported as ``path:line: message`` so a trainer editing by hand can jump
straight to it; a course with any problem is not loaded at all. The same files may also come
from memory (an uploaded zip, a draft): ``read_course`` takes a mapping of names to contents.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from lms.content.citations import CiteError, citation_warnings, read_cite
from lms.content.course_rules import CourseRules, read_rules
from lms.content.course_source import (  # noqa: F401  (SLUG, Problem: imported from here too)
    SLUG,
    FolderSource,
    MappingSource,
    Problem,
    YamlDoc,
    check_keys,
    parse_yaml,
    pass_mark_value,
    slug_value,
    text_value,
    whole_number,
)
from lms.content.identity import derived_keys, is_question_key
from lms.content.markdown import render_markdown
from lms.plugins import QuestionTypeRegistry
from lms.questions import SpecError
from lms.quiz_settings import QuizSettings, SettingsError, parse_quiz_settings

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.DOTALL)
QUIZ_BLOCK = re.compile(r"^```quiz[ \t]*\n(.*?)^```[ \t]*$\n?", re.DOTALL | re.MULTILINE)
COURSE_KEYS = {"slug", "title", "description", "audience", "pass_mark", "modules", "published",
               "rules"}
MODULE_KEYS = {"slug", "title", "minutes", "min_minutes", "required", "pass_mark", "quiz"}
#: Keys of every question, whatever its type: read by the loader, not by the type.
COMMON_KEYS = {"id", "cite"}


@dataclass
class QuestionFile:
    """A question as written; ``key`` is its ``id:`` or, without one, ``derived_key``.

    ``cite`` (the passage of its module it rests on, lms.content.citations) is read here,
    beside ``id``, not by the question type: it means the same for every type, plugins
    included, and needs the module's text to check."""

    type: str
    spec: dict[str, Any]
    written_id: str | None = None
    line: int = 0
    derived_key: str = ""
    cite: str | None = None
    cite_line: int = 0
    #: The file it is written in (a module's ``.quiz.yml`` sibling, or the module).
    path: Path | None = None

    @property
    def key(self) -> str:
        return self.written_id or self.derived_key


@dataclass
class ModuleFile:
    path: Path
    slug: str
    title: str
    minutes: int
    required: bool
    pass_mark: int | None
    source: str
    html: str
    questions: list[QuestionFile] = field(default_factory=list)
    quiz: QuizSettings = field(default_factory=QuizSettings)
    #: Minutes of active study asked before the module completes, or None.
    min_minutes: int | None = None


@dataclass
class CourseFile:
    path: Path
    slug: str
    title: str
    description: str
    audience: str
    pass_mark: int
    content_hash: str
    modules: list[ModuleFile] = field(default_factory=list)
    #: ``published: false`` (an imported draft): the course is created hidden from trainees.
    published: bool = True
    #: Worth saying but not blocking: questions whose cite is not in their module's text.
    warnings: list[Problem] = field(default_factory=list)
    rules: CourseRules = field(default_factory=CourseRules)


class CourseInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def find_course_folders(root: Path) -> list[Path]:
    """Return ``root`` itself if it is a course, else its sub-folders holding a course.yml."""
    if (root / "course.yml").is_file():
        return [root]
    return sorted(p.parent for p in root.glob("*/course.yml"))


def read_course(folder: Path | Mapping[str, bytes | str], registry: QuestionTypeRegistry,
                default_pass_mark: int = 60) -> CourseFile:
    """Parse and validate one course, from a folder or from a mapping of file names
    (``course.yml``, ``01-intro.md``...) to contents; raise ``CourseInvalid`` listing every
    problem."""
    problems: list[Problem] = []
    source = FolderSource(folder) if isinstance(folder, Path) else MappingSource(folder)
    path = source.path("course.yml")
    raw = source.read("course.yml")
    if raw is None:
        raise CourseInvalid([Problem(path, 1, _l("course.yml is missing"))])
    used = {"course.yml"}
    digest = hashlib.sha256(raw)
    doc = parse_yaml(raw.decode("utf-8", errors="replace"), path, problems)
    if doc is None:
        raise CourseInvalid(problems)
    if not isinstance(doc.data, dict):
        raise CourseInvalid([Problem(path, 1, _l("course.yml must be a mapping of keys"))])
    data = doc.data
    check_keys(doc, doc.node, COURSE_KEYS, problems)
    slug = slug_value(doc, data, problems)
    title = text_value(doc, data, "title", problems, required=True, limit=200)
    description = text_value(doc, data, "description", problems, required=False, limit=5000)
    audience = text_value(doc, data, "audience", problems, required=False, limit=200)
    pass_mark = pass_mark_value(doc, data, problems)
    published = data.get("published", True)
    if not isinstance(published, bool):
        problems.append(Problem(path, doc.line(doc.child(doc.node, "published")),
                                _l("published must be true or false")))

    modules: list[ModuleFile] = []
    names = data.get("modules")
    names_node = doc.child(doc.node, "modules")
    if not isinstance(names, list) or not names:
        problems.append(Problem(path, doc.line(names_node),
                                _l("modules must list at least one module file")))
        names = []
    seen_files: set[str] = set()
    seen_slugs: dict[str, Path] = {}
    for index, name in enumerate(names):
        line = doc.line(doc.child(names_node, index))
        if not isinstance(name, str) or "/" in name or "\\" in name or not name.endswith(".md"):
            problems.append(Problem(path, line, _l("module entry %(name)r must be a .md file name",
                                                    name=name)))
            continue
        if name in seen_files:
            problems.append(Problem(path, line, _l("%(name)s is listed twice", name=name)))
            continue
        seen_files.add(name)
        module_path = source.path(name)
        module_bytes = source.read(name)
        if module_bytes is None:
            problems.append(Problem(path, line, _l("%(name)s does not exist", name=name)))
            continue
        sibling_name = name[:-len(".md")] + ".quiz.yml"
        sibling_bytes = source.read(sibling_name)
        used.update({name, sibling_name})
        digest.update(name.encode() + b"\0" + module_bytes)
        if sibling_bytes is not None:
            digest.update(sibling_name.encode() + b"\0" + sibling_bytes)
        module = _read_module(module_path, module_bytes, registry, problems,
                              (source.path(sibling_name), sibling_bytes))
        if module is None:
            continue
        if module.slug in seen_slugs:
            problems.append(Problem(module_path, 2,
                                    _l("slug %(slug)r is already used by %(file)s",
                                       slug=module.slug, file=seen_slugs[module.slug].name)))
        seen_slugs[module.slug] = module_path
        modules.append(module)
    _check_unique_ids(modules, problems)
    rules = read_rules(doc, problems, slug, [m.slug for m in modules],
                       {m.slug for m in modules if m.questions})
    problems.extend(Problem(source.path(name), 1, _l("is not listed in course.yml modules"))
                    for name in source.unused(used))
    if problems:
        raise CourseInvalid(problems)
    return CourseFile(path=source.root, slug=slug, title=title, description=description,
                      audience=audience,
                      pass_mark=pass_mark if pass_mark is not None else default_pass_mark,
                      content_hash=digest.hexdigest(), modules=modules,
                      published=published, warnings=citation_warnings(modules), rules=rules)


def _check_unique_ids(modules: list[ModuleFile], problems: list[Problem]) -> None:
    """A question id names one question in the whole course (an id may be written in the
    form of a derived key, as exports do, so those are checked against written ids too)."""
    first: dict[str, tuple[Path, int]] = {}
    for module in modules:
        for question in module.questions:
            if question.written_id is None:
                first.setdefault(question.derived_key, (module.path, question.line))
    for module in modules:
        for question in module.questions:
            if question.written_id is None:
                continue
            if question.written_id in first:
                where, line = first[question.written_id]
                problems.append(Problem(module.path, question.line,
                                        _l("id %(id)r is already used by the question at "
                                           "%(file)s:%(line)s", id=question.written_id,
                                           file=where.name, line=line)))
            else:
                first[question.written_id] = (module.path, question.line)


def _read_module(path: Path, raw: bytes, registry: QuestionTypeRegistry,
                 problems: list[Problem],
                 sibling_file: tuple[Path, bytes | None]) -> ModuleFile | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.append(Problem(path, 1, _l("not UTF-8 text (%(reason)s)", reason=error.reason)))
        return None
    text = text.replace("\r\n", "\n")
    before = len(problems)
    match = FRONT_MATTER.match(text)
    if match is None:
        problems.append(Problem(path, 1, _l("must start with front matter between --- lines")))
        return None
    doc = parse_yaml(match.group(1), path, problems, first_line=2)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        problems.append(Problem(path, 2, _l("front matter must be a mapping of keys")))
        return None
    data = doc.data
    check_keys(doc, doc.node, MODULE_KEYS, problems)
    slug = slug_value(doc, data, problems)
    title = text_value(doc, data, "title", problems, required=True, limit=200)
    minutes = data.get("minutes")
    if not whole_number(minutes, 1, 600):
        problems.append(Problem(path, doc.line(doc.child(doc.node, "minutes")),
                                _l("minutes must be a whole number of estimated minutes (1-600)")))
    min_minutes = data.get("min_minutes")
    min_line = doc.line(doc.child(doc.node, "min_minutes"))
    if min_minutes is not None and not whole_number(min_minutes, 1, 600):
        problems.append(Problem(path, min_line, _l("min_minutes must be a whole number of "
                                                      "minutes of active study (1-600), or left "
                                                      "out")))
    elif min_minutes is not None and whole_number(minutes, 1, 600) and min_minutes > minutes:
        # Credited time stops at a multiple of the estimate; asking more than it could be
        # more than anyone can ever be credited.
        problems.append(Problem(path, min_line, _l("min_minutes (%(min)s) must not be more than "
                                                      "minutes (%(minutes)s), the estimated time",
                                                      min=min_minutes, minutes=minutes)))
    required = data.get("required", True)
    if not isinstance(required, bool):
        problems.append(Problem(path, doc.line(doc.child(doc.node, "required")),
                                _l("required must be true or false")))
    pass_mark = pass_mark_value(doc, data, problems)
    quiz = QuizSettings()
    try:
        quiz = parse_quiz_settings(data.get("quiz"))
    except SettingsError as error:
        quiz_node = doc.child(doc.node, "quiz")
        node = doc.child(quiz_node, error.field) if error.field != "quiz" else quiz_node
        problems.append(Problem(path, doc.line(node or quiz_node),
                                _l("%(field)s: %(reason)s", field=error.setting,
                                   reason=error.message)))

    body_start = match.end()
    body = text[body_start:]
    body_first_line = text.count("\n", 0, body_start) + 1
    questions: list[QuestionFile] = []
    blocks = list(QUIZ_BLOCK.finditer(body))
    if len(blocks) > 1:
        line = body_first_line + body.count("\n", 0, blocks[1].start())
        problems.append(Problem(path, line, _l("only one ```quiz block is allowed per module")))
    sibling, sibling_bytes = sibling_file
    if blocks:
        block = blocks[0]
        quiz_line = body_first_line + body.count("\n", 0, block.start()) + 1
        questions = read_questions(block.group(1), path, quiz_line, registry, problems)
        body = body[: block.start()] + body[block.end():]
    if sibling_bytes is not None:
        if blocks:
            problems.append(Problem(sibling, 1, _l("%(file)s already has a ```quiz block",
                                                    file=path.name)))
        else:
            questions = read_questions(sibling_bytes.decode("utf-8", errors="replace"),
                                        sibling, 1, registry, problems)
    source = body.strip() + "\n"
    if not body.strip():
        problems.append(Problem(path, body_first_line, _l("the module has no text")))
    if len(problems) > before:
        return None
    if quiz.draw is not None and quiz.draw > len(questions):
        problems.append(Problem(path, doc.line(doc.child(doc.child(doc.node, "quiz"), "draw")),
                                _l("quiz.draw: asks for %(draw)s questions but the module "
                                   "has %(count)s", draw=quiz.draw, count=len(questions))))
        return None
    for question, key in zip(questions, derived_keys(slug, (q.spec["prompt"] for q in questions)),
                             strict=True):
        question.derived_key = key
    return ModuleFile(path=path, slug=slug, title=title, minutes=minutes, required=required,
                      pass_mark=pass_mark, source=source, html=str(render_markdown(source)),
                      questions=questions, quiz=quiz, min_minutes=min_minutes)


def read_questions(text: str, path: Path, first_line: int, registry: QuestionTypeRegistry,
                    problems: list[Problem]) -> list[QuestionFile]:
    doc = parse_yaml(text, path, problems, first_line=first_line)
    if doc is None:
        return []
    if doc.data is None:
        return []
    if not isinstance(doc.data, list):
        problems.append(Problem(path, first_line, _l("the quiz must be a list of questions")))
        return []
    questions = []
    for index, item in enumerate(doc.data):
        item_node = doc.child(doc.node, index)
        line = doc.line(item_node)
        if not isinstance(item, dict):
            problems.append(Problem(path, line, _l("question %(number)s must be a mapping",
                                                    number=index + 1)))
            continue
        type_name = item.get("type")
        question_type = registry.get(type_name) if isinstance(type_name, str) else None
        if question_type is None:
            known = ", ".join(registry.names())
            problems.append(Problem(path, doc.line(doc.child(item_node, "type")) if
                                    "type" in item else line,
                                    _l("question %(number)s: unknown type %(type)r "
                                       "(known: %(known)s)", number=index + 1, type=type_name,
                                       known=known)))
            continue
        for key_node, _ in item_node.value:
            if key_node.value not in question_type.keys | COMMON_KEYS:
                problems.append(Problem(path, doc.line(key_node),
                                        _l("question %(number)s: unknown key %(key)r",
                                           number=index + 1, key=key_node.value)))
        written_id = item.pop("id", None)
        if written_id is not None:
            if isinstance(written_id, int) and not isinstance(written_id, bool):
                written_id = str(written_id)
            if not isinstance(written_id, str) or not is_question_key(written_id):
                problems.append(Problem(path, doc.line(doc.child(item_node, "id")),
                                        _l("question %(number)s: id must be letters, "
                                           "digits, '.', '_' or '-' (at most 80), starting "
                                           "with a letter or digit", number=index + 1)))
                continue
        cite, cite_line = None, doc.line(doc.child(item_node, "cite"))
        if "cite" in item:
            try:
                cite = read_cite(item.pop("cite"))
            except CiteError as error:
                problems.append(Problem(path, cite_line,
                                        _l("question %(number)s: cite: %(reason)s",
                                           number=index + 1, reason=error.message)))
                continue
        try:
            spec = question_type.load_spec(item)
        except SpecError as error:
            field_line = doc.line(doc.child(item_node, error.field)) if error.field in item \
                else line
            problems.append(Problem(path, field_line,
                                    _l("question %(number)s: %(field)s: %(reason)s",
                                       number=index + 1, field=error.field,
                                       reason=LazyString(error.translated))))
            continue
        questions.append(QuestionFile(type=type_name, spec=spec, written_id=written_id,
                                      line=line, cite=cite, cite_line=cite_line, path=path))
    return questions
