"""Versioned course content and stable question identity.

Each course gets version 1 from its current rows: a module revision per module and a
question revision per question, all numbered 1. Questions get their key (derived from the
module slug and the prompt, as the loader derives them; "bank-" keys for imported ones).
Attempts point to version 1 and their snapshots name each question's key and revision;
an answer to a question a reload had since deleted and re-inserted (the old loader did that
to every question) is pointed at the question that replaced it when the prompt matches, so
its statistics join the same row. Completed progress records version 1.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

courses = sa.table("lms_courses", sa.column("id", sa.Integer), sa.column("title", sa.String),
                   sa.column("description", sa.Text), sa.column("audience", sa.String),
                   sa.column("pass_mark", sa.Integer), sa.column("version_id", sa.Integer))
modules = sa.table("lms_modules", sa.column("id", sa.Integer), sa.column("course_id", sa.Integer),
                   sa.column("position", sa.Integer), sa.column("slug", sa.String),
                   sa.column("title", sa.String), sa.column("source", sa.Text),
                   sa.column("html", sa.Text), sa.column("minutes", sa.Integer),
                   sa.column("required", sa.Boolean), sa.column("pass_mark", sa.Integer),
                   sa.column("quiz_settings", sa.JSON))
questions = sa.table("lms_questions", sa.column("id", sa.Integer),
                     sa.column("module_id", sa.Integer), sa.column("course_id", sa.Integer),
                     sa.column("key", sa.String), sa.column("position", sa.Integer),
                     sa.column("type", sa.String), sa.column("prompt", sa.Text),
                     sa.column("options", sa.JSON), sa.column("answer_key", sa.JSON),
                     sa.column("explanation", sa.Text), sa.column("points", sa.Integer),
                     sa.column("origin", sa.String))
versions = sa.table("lms_course_versions", sa.column("id", sa.Integer),
                    sa.column("course_id", sa.Integer), sa.column("number", sa.Integer),
                    sa.column("content_hash", sa.String), sa.column("title", sa.String),
                    sa.column("description", sa.Text), sa.column("audience", sa.String),
                    sa.column("pass_mark", sa.Integer), sa.column("changes", sa.JSON),
                    sa.column("created_at", sa.DateTime(timezone=True)))
version_modules = sa.table("lms_course_version_modules", sa.column("version_id", sa.Integer),
                           sa.column("position", sa.Integer),
                           sa.column("module_revision_id", sa.Integer))
module_revisions = sa.table(
    "lms_module_revisions", sa.column("id", sa.Integer), sa.column("module_id", sa.Integer),
    sa.column("number", sa.Integer), sa.column("content_hash", sa.String),
    sa.column("title", sa.String), sa.column("source", sa.Text), sa.column("html", sa.Text),
    sa.column("minutes", sa.Integer), sa.column("required", sa.Boolean),
    sa.column("pass_mark", sa.Integer), sa.column("quiz_settings", sa.JSON),
    sa.column("created_at", sa.DateTime(timezone=True)))
revision_questions = sa.table("lms_module_revision_questions",
                              sa.column("module_revision_id", sa.Integer),
                              sa.column("position", sa.Integer),
                              sa.column("question_revision_id", sa.Integer))
question_revisions = sa.table(
    "lms_question_revisions", sa.column("id", sa.Integer), sa.column("question_id", sa.Integer),
    sa.column("number", sa.Integer), sa.column("content_hash", sa.String),
    sa.column("type", sa.String), sa.column("prompt", sa.Text), sa.column("options", sa.JSON),
    sa.column("answer_key", sa.JSON), sa.column("explanation", sa.Text),
    sa.column("points", sa.Integer), sa.column("created_at", sa.DateTime(timezone=True)))
attempts = sa.table("lms_quiz_attempts", sa.column("id", sa.Integer),
                    sa.column("module_id", sa.Integer), sa.column("questions", sa.JSON),
                    sa.column("course_version_id", sa.Integer))

PROGRESS_VERSION_FK = "fk_lms_module_progress_completed_version_id_lms_course_versions"
VERSION_OF_MODULE = (sa.select(courses.c.version_id)
                     .select_from(modules.join(courses, courses.c.id == modules.c.course_id)))


# Frozen copy of lms.content.identity at this revision: keys and hashes must come out as the
# application computes them, so the next load matches these rows.
def _normalise(prompt: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", prompt).split())


def _derived_keys(slug: str, prompts: list[str], prefix: str = "") -> list[str]:
    keys, seen = [], defaultdict(int)
    for prompt in prompts:
        base = f"{slug}/{prefix}{hashlib.sha256(_normalise(prompt).encode()).hexdigest()[:10]}"
        seen[base] += 1
        keys.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return keys


def _bank_key(slug: str, prompt: str, taken: set[str]) -> str:
    base = key = _derived_keys(slug, [prompt], prefix="bank-")[0]
    number = 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key


def _hash(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _question_content(row) -> dict[str, Any]:
    return {"type": row.type, "prompt": row.prompt, "options": row.options,
            "answer": row.answer_key, "explanation": row.explanation, "points": row.points}


def upgrade() -> None:
    op.create_table(
        "lms_course_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("audience", sa.String(length=200), nullable=False),
        sa.Column("pass_mark", sa.Integer(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["course_id"], ["lms_courses.id"], ondelete="CASCADE",
                                name=op.f("fk_lms_course_versions_course_id_lms_courses")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lms_course_versions")),
        sa.UniqueConstraint("course_id", "number",
                            name=op.f("uq_lms_course_versions_course_id_number")),
    )
    with op.batch_alter_table("lms_courses") as batch:
        batch.add_column(sa.Column("version_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_lms_courses_version_id_lms_course_versions"),
                                 "lms_course_versions", ["version_id"], ["id"])
    with op.batch_alter_table("lms_modules") as batch:
        batch.alter_column("position", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False,
                                   server_default="1"))
    with op.batch_alter_table("lms_questions") as batch:
        batch.alter_column("position", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("course_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("key", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False,
                                   server_default="1"))
    op.create_table(
        "lms_module_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("pass_mark", sa.Integer(), nullable=True),
        sa.Column("quiz_settings", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["module_id"], ["lms_modules.id"], ondelete="CASCADE",
                                name=op.f("fk_lms_module_revisions_module_id_lms_modules")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lms_module_revisions")),
        sa.UniqueConstraint("module_id", "number",
                            name=op.f("uq_lms_module_revisions_module_id_number")),
        sa.UniqueConstraint("module_id", "content_hash",
                            name=op.f("uq_lms_module_revisions_module_id_content_hash")),
    )
    op.create_table(
        "lms_question_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=50), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=True),
        sa.Column("answer_key", sa.JSON(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["lms_questions.id"], ondelete="CASCADE",
                                name=op.f("fk_lms_question_revisions_question_id_lms_questions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lms_question_revisions")),
        sa.UniqueConstraint("question_id", "number",
                            name=op.f("uq_lms_question_revisions_question_id_number")),
        sa.UniqueConstraint("question_id", "content_hash",
                            name=op.f("uq_lms_question_revisions_question_id_content_hash")),
    )
    op.create_table(
        "lms_course_version_modules",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("module_revision_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["lms_course_versions.id"], ondelete="CASCADE",
            name=op.f("fk_lms_course_version_modules_version_id_lms_course_versions")),
        sa.ForeignKeyConstraint(
            ["module_revision_id"], ["lms_module_revisions.id"], ondelete="CASCADE",
            name=op.f("fk_lms_course_version_modules_module_revision_id_lms_module_revisions")),
        sa.PrimaryKeyConstraint("version_id", "position",
                                name=op.f("pk_lms_course_version_modules")),
    )
    op.create_index("ix_lms_course_version_modules_module_revision_id",
                    "lms_course_version_modules", ["module_revision_id"])
    op.create_table(
        "lms_module_revision_questions",
        sa.Column("module_revision_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_revision_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["module_revision_id"], ["lms_module_revisions.id"], ondelete="CASCADE",
            name=op.f("fk_lms_module_revision_questions_module_revision_id_lms_module_revisions")),
        sa.ForeignKeyConstraint(
            ["question_revision_id"], ["lms_question_revisions.id"], ondelete="CASCADE",
            name=op.f("fk_lms_module_revision_questions_question_revision_id_"
                      "lms_question_revisions")),
        sa.PrimaryKeyConstraint("module_revision_id", "position",
                                name=op.f("pk_lms_module_revision_questions")),
    )
    op.create_index("ix_lms_module_revision_questions_question_revision_id",
                    "lms_module_revision_questions", ["question_revision_id"])
    with op.batch_alter_table("lms_module_progress") as batch:
        batch.add_column(sa.Column("completed_version_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f(PROGRESS_VERSION_FK),
                                 "lms_course_versions", ["completed_version_id"], ["id"])
    with op.batch_alter_table("lms_quiz_attempts") as batch:
        batch.add_column(sa.Column("course_version_id", sa.Integer(), nullable=True))

    _record_version_one(op.get_bind())

    with op.batch_alter_table("lms_questions") as batch:
        batch.alter_column("course_id", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("key", existing_type=sa.String(length=200), nullable=False)
        batch.alter_column("revision", existing_type=sa.Integer(), server_default=None)
        batch.create_unique_constraint(op.f("uq_lms_questions_course_id_key"), ["course_id", "key"])
        batch.create_foreign_key(op.f("fk_lms_questions_course_id_lms_courses"), "lms_courses",
                                 ["course_id"], ["id"], ondelete="CASCADE")
    with op.batch_alter_table("lms_modules") as batch:
        batch.alter_column("revision", existing_type=sa.Integer(), server_default=None)
    with op.batch_alter_table("lms_quiz_attempts") as batch:
        batch.alter_column("course_version_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(op.f("fk_lms_quiz_attempts_course_version_id_lms_course_versions"),
                                 "lms_course_versions", ["course_version_id"], ["id"])


def _record_version_one(bind) -> None:
    now = datetime.now(UTC)
    all_questions = defaultdict(list)
    for row in bind.execute(sa.select(questions).order_by(questions.c.module_id,
                                                          questions.c.position)):
        all_questions[row.module_id].append(row)
    all_modules = defaultdict(list)
    for row in bind.execute(sa.select(modules).order_by(modules.c.course_id,
                                                        modules.c.position)):
        all_modules[row.course_id].append(row)
    for course in bind.execute(sa.select(courses)).all():
        listed = []
        for module in all_modules[course.id]:
            asked = _record_questions(bind, course.id, module, all_questions[module.id], now)
            content = {key: getattr(module, key) for key in (
                "title", "source", "html", "minutes", "required", "pass_mark")}
            content["quiz_settings"] = module.quiz_settings or {}
            digest = _hash({**content, "questions": [[key, h] for key, h, _ in asked]})
            revision_id = bind.execute(module_revisions.insert().values(
                module_id=module.id, number=1, content_hash=digest, created_at=now,
                **content).returning(module_revisions.c.id)).scalar_one()
            for position, (_, _, question_revision_id) in enumerate(asked, start=1):
                bind.execute(revision_questions.insert().values(
                    module_revision_id=revision_id, position=position,
                    question_revision_id=question_revision_id))
            listed.append((module.slug, digest, revision_id))
        details = {"title": course.title, "description": course.description,
                   "audience": course.audience, "pass_mark": course.pass_mark}
        digest = _hash({**details, "modules": [[slug, h] for slug, h, _ in listed]})
        version_id = bind.execute(versions.insert().values(
            course_id=course.id, number=1, content_hash=digest, changes={}, created_at=now,
            **details).returning(versions.c.id)).scalar_one()
        for position, (_, _, revision_id) in enumerate(listed, start=1):
            bind.execute(version_modules.insert().values(
                version_id=version_id, position=position, module_revision_id=revision_id))
        bind.execute(courses.update().where(courses.c.id == course.id)
                     .values(version_id=version_id))
    bind.execute(attempts.update().values(course_version_id=VERSION_OF_MODULE.where(
        modules.c.id == attempts.c.module_id).scalar_subquery()))
    progress = sa.table("lms_module_progress", sa.column("module_id", sa.Integer),
                        sa.column("status", sa.String),
                        sa.column("completed_version_id", sa.Integer))
    bind.execute(progress.update().where(progress.c.status == "completed").values(
        completed_version_id=VERSION_OF_MODULE.where(
            modules.c.id == progress.c.module_id).scalar_subquery()))
    _rewrite_snapshots(bind, all_questions)


def _record_questions(bind, course_id: int, module, rows, now) -> list[tuple[str, str, int]]:
    """Key and record revision 1 of each question; return (key, hash, revision id)."""
    files = [row for row in rows if row.origin == "file"]
    keys = dict(zip((row.id for row in files),
                    _derived_keys(module.slug, [row.prompt for row in files]), strict=True))
    taken = set(keys.values())
    asked = []
    for row in rows:
        if row.id not in keys:
            keys[row.id] = _bank_key(module.slug, row.prompt, taken)
            taken.add(keys[row.id])
        content = _question_content(row)
        digest = _hash(content)
        bind.execute(questions.update().where(questions.c.id == row.id)
                     .values(course_id=course_id, key=keys[row.id]))
        revision_id = bind.execute(question_revisions.insert().values(
            question_id=row.id, number=1, content_hash=digest, type=row.type,
            prompt=row.prompt, options=row.options, answer_key=row.answer_key,
            explanation=row.explanation, points=row.points, created_at=now,
        ).returning(question_revisions.c.id)).scalar_one()
        asked.append((keys[row.id], digest, revision_id))
    return asked


def _rewrite_snapshots(bind, all_questions: dict[int, list]) -> None:
    """Name each asked question's key and revision; re-point answers to deleted questions."""
    by_id = {row.id: row for rows in all_questions.values() for row in rows}
    keys = dict(bind.execute(sa.select(questions.c.id, questions.c.key)).all())
    for attempt in bind.execute(sa.select(attempts.c.id, attempts.c.module_id,
                                          attempts.c.questions)).all():
        snapshot = []
        for spec in attempt.questions or []:
            spec = dict(spec)
            row = by_id.get(spec.get("question_id"))
            if row is not None and (row.type != spec.get("type") or _normalise(row.prompt)
                                    != _normalise(spec.get("prompt", ""))):
                row = None  # SQLite reuses ids: a reload can give a new question an old id
            if row is None:
                row = _replacement(spec, all_questions.get(attempt.module_id, []))
            if row is not None:
                spec.update(question_id=row.id, question_key=keys[row.id])
                if _same_wording(spec, row):
                    spec["revision"] = 1
            snapshot.append(spec)
        if snapshot != (attempt.questions or []):
            bind.execute(attempts.update().where(attempts.c.id == attempt.id)
                         .values(questions=snapshot))


def _replacement(spec: dict[str, Any], candidates: list) -> Any | None:
    """The module's one question with the same type and prompt as a deleted one."""
    prompt = _normalise(spec.get("prompt", ""))
    found = [row for row in candidates
             if row.type == spec.get("type") and _normalise(row.prompt) == prompt]
    return found[0] if len(found) == 1 else None


def _same_wording(spec: dict[str, Any], row) -> bool:
    """Did the attempt ask exactly this (options put back in written order)?"""
    options = spec.get("options")
    order = spec.get("option_order")
    if options and order:
        written: list[Any] = [None] * len(options)
        for shown, original in enumerate(order):
            written[original] = options[shown]
        options = written
    return (spec.get("type") == row.type and spec.get("prompt") == row.prompt
            and options == row.options and spec.get("points") == row.points)


def downgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("lms_quiz_attempts") as batch:
        batch.drop_constraint(op.f("fk_lms_quiz_attempts_course_version_id_lms_course_versions"),
                              type_="foreignkey")
        batch.drop_column("course_version_id")
    with op.batch_alter_table("lms_module_progress") as batch:
        batch.drop_constraint(op.f(PROGRESS_VERSION_FK),
                              type_="foreignkey")
        batch.drop_column("completed_version_id")
    with op.batch_alter_table("lms_courses") as batch:
        batch.drop_constraint(op.f("fk_lms_courses_version_id_lms_course_versions"),
                              type_="foreignkey")
        batch.drop_column("version_id")
    for table in ("lms_module_revision_questions", "lms_course_version_modules",
                  "lms_question_revisions", "lms_module_revisions", "lms_course_versions"):
        op.drop_table(table)
    # Before versions, a question not in the files was deleted (attempts keep snapshots), and
    # a module was kept while studied: dropped modules come back after the current ones.
    bind.execute(questions.delete().where(questions.c.position.is_(None)))
    last = dict(bind.execute(sa.select(modules.c.course_id, sa.func.max(modules.c.position))
                             .group_by(modules.c.course_id)).all())
    for row in bind.execute(sa.select(modules.c.id, modules.c.course_id)
                            .where(modules.c.position.is_(None)).order_by(modules.c.id)).all():
        last[row.course_id] = (last.get(row.course_id) or 0) + 1
        bind.execute(modules.update().where(modules.c.id == row.id)
                     .values(position=last[row.course_id]))
    with op.batch_alter_table("lms_questions") as batch:
        batch.drop_constraint(op.f("fk_lms_questions_course_id_lms_courses"), type_="foreignkey")
        batch.drop_constraint(op.f("uq_lms_questions_course_id_key"), type_="unique")
        batch.drop_column("revision")
        batch.drop_column("key")
        batch.drop_column("course_id")
        batch.alter_column("position", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("lms_modules") as batch:
        batch.drop_column("revision")
        batch.alter_column("position", existing_type=sa.Integer(), nullable=False)
