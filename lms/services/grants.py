"""Giving and taking back scoped grants: site admin, unit admin of a subtree, course author.

Who may change which grant is ``manage_grants`` in permissions.py: an admin of a unit (or of
a unit above it) for unit admin grants in that subtree; site admins for course authors and
site admins. ``grant`` and ``revoke`` check it whenever an ``actor`` acts (the CLI operator,
``actor=None``, may do anything), so the web layer cannot skip it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.events import GrantChanged
from lms.models import Course, Grant, GrantKind, OrgUnit, Role, User
from lms.services.errors import InvalidInput, NotFound
from lms.services.org import find_unit, name_path
from lms.services.permissions import Action, allowed, require, scope_of
from lms.unit_of_work import raise_event, transactional


class GrantRefused(InvalidInput):
    """A grant change the rules refuse; ``reason`` is a stable key the web layer words."""

    def __init__(self, reason: str, message: str, field: str | None = None):
        super().__init__(message, field=field)
        self.reason = reason


@dataclass(frozen=True)
class GrantTarget:
    """What a grant reaches: the site, one unit's subtree, or one course."""

    kind: GrantKind
    unit: OrgUnit | None = None
    course: Course | None = None

    @property
    def resource(self) -> OrgUnit | Course | None:
        return self.unit if self.unit is not None else self.course


def find_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise NotFound(f"no user {username!r}")
    return user


def find_target(session: Session, *, unit_path: str | None = None,
                course_slug: str | None = None, site: bool = False) -> GrantTarget:
    """Resolve exactly one of a unit name path, a course slug (published or not), the site."""
    if sum((unit_path is not None, course_slug is not None, site)) != 1:
        raise InvalidInput("name exactly one of a unit, a course or the site", field="target")
    if site:
        return GrantTarget(GrantKind.SITE_ADMIN)
    if unit_path is not None:
        unit = find_unit(session, unit_path)
        if unit is None:
            raise NotFound(f"no org unit {unit_path!r}")
        return GrantTarget(GrantKind.UNIT_ADMIN, unit=unit)
    course = session.scalar(select(Course).where(Course.slug == course_slug))
    if course is None:
        raise NotFound(f"no course {course_slug!r}")
    return GrantTarget(GrantKind.COURSE_AUTHOR, course=course)


def _existing(session: Session, user: User, target: GrantTarget) -> Grant | None:
    unit_id = target.unit.id if target.unit is not None else None
    course_id = target.course.id if target.course is not None else None
    return session.scalar(select(Grant).where(
        Grant.user_id == user.id, Grant.kind == target.kind,
        Grant.org_unit_id.is_(None) if unit_id is None else Grant.org_unit_id == unit_id,
        Grant.course_id.is_(None) if course_id is None else Grant.course_id == course_id))


def _changed(session: Session, user: User, target: GrantTarget, actor: User | None,
             granted: bool) -> None:
    raise_event(session, GrantChanged(
        actor_id=actor.id if actor is not None else None, user_id=user.id,
        kind=target.kind.value, granted=granted,
        org_unit_id=target.unit.id if target.unit is not None else None,
        course_id=target.course.id if target.course is not None else None))


@transactional
def grant(session: Session, user: User, target: GrantTarget, *,
          actor: User | None = None, checked: bool = False) -> bool:
    """Give ``user`` the grant; False if they already hold it. ``actor`` None: the operator.
    ``checked``: the caller applied its own rule (a course's author adding a co-author)."""
    if actor is not None and not checked:
        require(session, actor, Action.MANAGE_GRANTS, target.resource)
    if _existing(session, user, target) is not None:
        return False
    user.has_grants = True  # the person's row is written before the grant that references it
    session.add(Grant(user_id=user.id, kind=target.kind, org_unit=target.unit,
                      course=target.course,
                      granted_by_id=actor.id if actor is not None else None))
    session.flush()
    _changed(session, user, target, actor, granted=True)
    return True


@transactional
def revoke(session: Session, user: User, target: GrantTarget, *,
           actor: User | None = None, checked: bool = False) -> bool:
    """Take the grant back; False if they did not hold it (a role's default is not a row)."""
    if actor is not None and not checked:
        require(session, actor, Action.MANAGE_GRANTS, target.resource)
    row = _existing(session, user, target)
    if row is None:
        return False
    if actor is not None and actor.id == user.id:
        _refuse_own_last_admin_grant(session, user, row)
    session.delete(row)
    session.flush()
    if session.scalar(select(func.count(Grant.id)).where(Grant.user_id == user.id)) == 0:
        user.has_grants = False
    _changed(session, user, target, actor, granted=False)
    return True


def _refuse_own_last_admin_grant(session: Session, user: User, row: Grant) -> None:
    """Nobody takes away, by mistake, the last grant that lets them into the admin room."""
    admin_kinds = (GrantKind.SITE_ADMIN, GrantKind.UNIT_ADMIN)
    if row.kind not in admin_kinds or user.role is Role.ADMIN:
        return
    others = session.scalar(select(func.count(Grant.id)).where(
        Grant.user_id == user.id, Grant.kind.in_(admin_kinds), Grant.id != row.id))
    if not others:
        raise GrantRefused("own_last_admin", "this is your last admin grant")


@transactional
def grant_by_username(session: Session, actor: User, username: str,
                      target: GrantTarget) -> tuple[User, bool]:
    """Give the person a form names the grant: (that person, False if they held it already).

    An unknown or deactivated username, or a deactivated unit, is a form error.
    """
    require(session, actor, Action.MANAGE_GRANTS, target.resource)
    username = (username or "").strip()
    user = session.scalar(select(User).where(User.username == username)) if username else None
    scope = scope_of(session, actor)
    if user is not None and not scope.everything and (
            user.org_unit is None or not allowed(scope, Action.ADMIN_UNIT, user.org_unit)):
        # A unit admin hands their rights only to people of their own units, and learns
        # nothing about anyone else's accounts.
        user = None
    if user is None:
        raise GrantRefused("unknown_user", f"no user {username!r} in the actor's units",
                           field="username")
    if not user.active:
        raise GrantRefused("inactive_user", f"user {username!r} is deactivated",
                           field="username")
    if target.unit is not None and not target.unit.active:
        raise GrantRefused("inactive_unit", f"unit {target.unit.id} is deactivated")
    return user, grant(session, user, target, actor=actor)


def get_grant(session: Session, grant_id: int) -> Grant:
    row = session.get(Grant, grant_id)
    if row is None:
        raise NotFound(f"no grant {grant_id}")
    return row


def target_of(row: Grant) -> GrantTarget:
    return GrantTarget(row.kind, unit=row.org_unit, course=row.course)


@transactional
def revoke_grant(session: Session, actor: User, row: Grant) -> None:
    """Take back one grant row (the unit or course page's revoke button)."""
    revoke(session, row.user, target_of(row), actor=actor)


def describe(session: Session, target: GrantTarget) -> str:
    """How a person reads the target: "site admin", "unit admin of 党委/…", "author of slug"."""
    if target.unit is not None:
        return f"unit admin of {name_path(session, target.unit)}"
    if target.course is not None:
        return f"author of {target.course.slug}"
    return "site admin"


def list_grants(session: Session, user: User) -> list[GrantTarget]:
    rows = session.scalars(select(Grant).where(Grant.user_id == user.id).order_by(Grant.id))
    return [target_of(row) for row in rows]
