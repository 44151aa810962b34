"""Questions whose cited passage is no longer in their module's current text.

Why it is computed, not stored: "needs review" is a fact about the current version (the
question's cite against its module's text, lms.content.citations), so it is true from the
version that reworded or removed the passage until a later version fixes the cite or the
text, with nothing to keep in step. Attempts are not touched: each graded attempt keeps its
own snapshot and grade.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.content.citations import cite_found
from lms.models import Module, Question


@dataclass(frozen=True)
class ReviewItem:
    """One question to review, with where it is asked and what it cites."""

    question_key: str
    prompt: str
    cite: str
    module_slug: str
    module_title: str


def questions_needing_review(session: Session,
                             course_ids: list[int]) -> dict[int, list[ReviewItem]]:
    """By course id, the current questions whose cite is not in their module's current
    text, in course order; a course with none is absent. Two queries for any number of
    courses: the cited questions, then the text of only the modules they are in."""
    if not course_ids:
        return {}
    cited = session.execute(
        select(Module.course_id, Module.id, Module.slug, Module.title, Question.key,
               Question.prompt, Question.cite)
        .join(Module, Module.id == Question.module_id)
        .where(Module.course_id.in_(sorted(course_ids)), Question.is_current,
               Question.cite.is_not(None))
        .order_by(Module.course_id, Module.position, Question.position)).all()
    if not cited:
        return {}
    texts = dict(session.execute(select(Module.id, Module.source).where(
        Module.id.in_(sorted({row.id for row in cited})))).all())
    found: dict[int, list[ReviewItem]] = defaultdict(list)
    for row in cited:
        if not cite_found(row.cite, texts[row.id]):
            found[row.course_id].append(ReviewItem(row.key, row.prompt, row.cite, row.slug,
                                                   row.title))
    return dict(found)
