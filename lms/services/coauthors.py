"""Co-authors: a course's authors add and remove other trainers as its authors.

A course-author grant is what makes someone an author; granting it is otherwise a site
admin's act, so this module applies its own narrower rule: an author of the course may
give it to an active trainer or admin, and take it back from anyone but themselves.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.models import Course, Grant, GrantKind, Role, User
from lms.services.grants import GrantRefused, GrantTarget, grant, revoke
from lms.services.permissions import Action, require
from lms.unit_of_work import transactional


def authors_of(session: Session, course: Course) -> list[User]:
    """The people holding a course-author grant on ``course``, by name."""
    return list(session.scalars(
        select(User).join(Grant, Grant.user_id == User.id)
        .where(Grant.kind == GrantKind.COURSE_AUTHOR, Grant.course_id == course.id)
        .order_by(User.display_name, User.id)))


@transactional
def add_coauthor(session: Session, actor: User, course: Course, username: str) -> User:
    require(session, actor, Action.AUTHOR_COURSE, course)
    username = (username or "").strip()
    person = session.scalar(select(User).where(
        User.username == username, User.active,
        User.role.in_([Role.TRAINER, Role.ADMIN]))) if username else None
    if person is None:
        raise GrantRefused("unknown_trainer", f"no active trainer {username!r}",
                           field="username")
    if not grant(session, person, GrantTarget(GrantKind.COURSE_AUTHOR, course=course),
                 actor=actor, checked=True):
        raise GrantRefused("already_author", f"{username} is an author already",
                           field="username")
    return person


@transactional
def remove_coauthor(session: Session, actor: User, course: Course, person: User) -> None:
    require(session, actor, Action.AUTHOR_COURSE, course)
    if person.id == actor.id:
        raise GrantRefused("own_authorship", "authors do not remove themselves")
    revoke(session, person, GrantTarget(GrantKind.COURSE_AUTHOR, course=course), actor=actor,
           checked=True)
