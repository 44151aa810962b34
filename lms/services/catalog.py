"""Courses as trainees and the CLI see them, and loading course files into the database."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, selectinload

from lms.content.loader import CourseFile, Problem, QuestionFile
from lms.db import utcnow
from lms.models import Course, Module, ModuleProgress, Question
from lms.services.errors import NotFound


class CourseConflict(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class UpsertResult:
    course_id: int
    created: bool
    changed: bool


def upsert_course(session: Session, course_file: CourseFile) -> UpsertResult:
    """Insert or update a course from its validated files.

    Modules are matched by slug. A module dropped from the files is deleted only if no
    trainee has studied it; otherwise the load is refused so no study record is lost. Quiz
    questions are replaced: past attempts keep their own snapshot of what was asked.
    """
    course = session.scalar(
        select(Course).where(Course.slug == course_file.slug)
        .options(selectinload(Course.modules))
    )
    created = course is None
    if course is None:
        course = Course(slug=course_file.slug, title=course_file.title)
        session.add(course)
    elif course.content_hash == course_file.content_hash:
        return UpsertResult(course.id, created=False, changed=False)

    course.title = course_file.title
    course.description = course_file.description
    course.audience = course_file.audience
    course.pass_mark = course_file.pass_mark
    course.content_hash = course_file.content_hash
    course.updated_at = utcnow()
    session.flush()

    existing = {module.slug: module for module in course.modules}
    wanted = {module.slug for module in course_file.modules}
    dropped = [module for slug, module in existing.items() if slug not in wanted]
    _refuse_dropping_studied(session, course_file, dropped)
    for module in dropped:
        course.modules.remove(module)
    # Park positions out of the way so reordering never trips the (course, position) key.
    if existing:
        session.execute(update(Module).where(Module.course_id == course.id)
                        .values(position=-Module.id))
    session.flush()

    for position, module_file in enumerate(course_file.modules, start=1):
        module = existing.get(module_file.slug)
        if module is None:
            module = Module(slug=module_file.slug)
            course.modules.append(module)
        module.position = position
        module.title = module_file.title
        module.source = module_file.source
        module.html = module_file.html
        module.minutes = module_file.minutes
        module.required = module_file.required
        module.pass_mark = module_file.pass_mark
        module.quiz_settings = module_file.quiz.to_json()
        session.flush()
        _replace_file_questions(session, module, module_file.questions)
    session.flush()
    session.expire(course, ["modules"])
    return UpsertResult(course.id, created=created, changed=True)


def _replace_file_questions(session: Session, module: Module,
                            questions: list[QuestionFile]) -> None:
    """Replace the questions written in the course files; imported ones stay, after them."""
    session.execute(delete(Question).where(Question.module_id == module.id,
                                           Question.origin == "file"))
    kept = list(session.scalars(select(Question).where(Question.module_id == module.id)
                                .order_by(Question.position)))
    for question in kept:  # park, then renumber after the file's questions
        question.position = -question.id
    session.flush()
    for number, question in enumerate(questions, start=1):
        session.add(question_row(module.id, number, question.type, question.spec, "file"))
    for number, question in enumerate(kept, start=len(questions) + 1):
        question.position = number
    session.flush()


def question_row(module_id: int, position: int, type_name: str, spec: dict,
                 origin: str) -> Question:
    return Question(
        module_id=module_id, position=position, type=type_name, prompt=spec["prompt"],
        options=spec.get("options"), answer_key=spec["answer"],
        explanation=spec.get("explanation", ""), points=spec.get("points", 1), origin=origin,
    )


def _refuse_dropping_studied(session: Session, course_file: CourseFile,
                             dropped: list[Module]) -> None:
    if not dropped:
        return
    studied = session.scalars(
        select(Module.slug).join(ModuleProgress, ModuleProgress.module_id == Module.id)
        .where(Module.id.in_([m.id for m in dropped])).distinct()
    ).all()
    if studied:
        raise CourseConflict([
            Problem(course_file.path / "course.yml", 1,
                    f"module {slug!r} has trainee records and cannot be removed; "
                    "keep it listed in modules")
            for slug in sorted(studied)
        ])


def get_course(session: Session, slug: str) -> Course:
    course = session.scalar(select(Course).where(Course.slug == slug, Course.published))
    if course is None:
        raise NotFound(f"no course {slug!r}")
    return course


def get_module(session: Session, course: Course, module_slug: str) -> Module:
    module = session.scalar(
        select(Module).where(Module.course_id == course.id, Module.slug == module_slug)
    )
    if module is None:
        raise NotFound(f"no module {module_slug!r} in course {course.slug!r}")
    return module


def get_course_and_module(session: Session, slug: str,
                          module_slug: str) -> tuple[Course, Module]:
    course = get_course(session, slug)
    return course, get_module(session, course, module_slug)


def list_courses(session: Session) -> list[Course]:
    return list(session.scalars(
        select(Course).where(Course.published).order_by(Course.title)
        .options(selectinload(Course.modules))
    ))


def describe_courses(session: Session) -> list[dict]:
    """Return every course with its modules and question counts, for ``lms courses --json``."""
    counts = dict(session.execute(
        select(Question.module_id, func.count()).group_by(Question.module_id)
    ).all())
    return [
        {
            "slug": course.slug, "title": course.title, "audience": course.audience,
            "pass_mark": course.pass_mark, "published": course.published,
            "modules": [
                {"slug": m.slug, "title": m.title, "minutes": m.minutes,
                 "required": m.required, "questions": counts.get(m.id, 0)}
                for m in course.modules
            ],
        }
        for course in session.scalars(
            select(Course).order_by(Course.slug).options(selectinload(Course.modules))
        )
    ]
