"""The admin room's changes to people: create, edit, move, deactivate, reset a password.

A unit admin manages trainees and trainers in their subtree; only site admins give or take
the admin role, and a unit admin may not touch a person whose role or grants reach further
than their own (resetting that person's password would hand the actor the person's reach).
Each change raises a typed event (the audit handler writes its row in the same transaction);
nothing is ever deleted, and moving a person touches no progress row: completed stays done.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.db import MAX_ID
from lms.events import PersonActivationChanged, PersonCreated, PersonMoved, PersonUpdated
from lms.models import Duty, Grant, GrantKind, OrgUnit, Role, User
from lms.services import accounts
from lms.services.email_address import is_email
from lms.services.errors import InvalidInput, NotFound, PermissionDenied
from lms.services.locks import lock_person
from lms.services.people_list import PeoplePage, PersonRow, completion_of, list_people
from lms.services.permissions import Action, Scope, allowed, require, scope_of
from lms.unit_of_work import raise_event, transactional

__all__ = ["PeoplePage", "PersonChangeRefused", "PersonRow", "completion_of", "create_person",
           "get_person",
           "list_people", "may_manage", "move_person", "reset_person_password",
           "set_person_active", "update_person"]

USERNAME = re.compile(r"[A-Za-z0-9._-]{3,80}")
PHONE = re.compile(r"\+?[0-9][0-9 -]{3,28}[0-9]")
NAME_MAX = 100


class PersonChangeRefused(InvalidInput):
    """A change the rules forbid; ``reason`` is a stable key the web layer (and the bulk
    import) words for people: username_taken, username_invalid, name_required,
    name_too_long, unit_inactive, phone_invalid, email_invalid, duty_invalid, role_invalid,
    role_not_allowed, own_account, external_account."""

    def __init__(self, reason: str, message: str, field: str | None = None):
        super().__init__(message, field=field)
        self.reason = reason


def get_person(session: Session, person_id: int) -> User:
    person = session.get(User, person_id) if 0 < person_id <= MAX_ID else None
    if person is None:
        raise NotFound(f"no person {person_id}")
    return person


def _reaches_beyond(session: Session, scope: Scope, person: User) -> bool:
    """Whether ``person``'s role or grants reach something ``scope`` does not administer."""
    if person.role is Role.ADMIN:
        return True
    for kind, course_id, path in session.execute(
            select(Grant.kind, Grant.course_id, OrgUnit.path)
            .outerjoin(OrgUnit, Grant.org_unit_id == OrgUnit.id)
            .where(Grant.user_id == person.id)):
        if kind is GrantKind.SITE_ADMIN:
            return True
        if kind is GrantKind.COURSE_AUTHOR and course_id not in scope.course_ids:
            return True
        if kind is GrantKind.UNIT_ADMIN and not any(
                path and path.startswith(own) for own in scope.unit_paths):
            return True
    return False


def may_manage(session: Session, scope: Scope, person: User) -> bool:
    """Whether ``scope`` may change ``person`` at all (the page shows its forms only then)."""
    if scope.everything:
        return True
    if person.org_unit is None or not allowed(scope, Action.ADMIN_UNIT, person.org_unit):
        return False
    return person.id == scope.holder_id or not _reaches_beyond(session, scope, person)


def _require_manage(session: Session, actor: User, person: User) -> Scope:
    scope = scope_of(session, actor)
    if not may_manage(session, scope, person):
        raise PermissionDenied(f"not allowed to manage person {person.id}")
    return scope


def _clean_name(name: str | None) -> str:
    name = (name or "").strip()
    if not name:
        raise PersonChangeRefused("name_required", "a person needs a name", field="display_name")
    if len(name) > NAME_MAX:
        raise PersonChangeRefused("name_too_long", "a name is longer than 100 characters",
                                  field="display_name")
    return name


def _clean_phone(phone: str | None) -> str | None:
    phone = (phone or "").strip()
    if not phone:
        return None
    if len(phone) > 30 or not PHONE.fullmatch(phone):
        raise PersonChangeRefused("phone_invalid", f"not a phone number: {phone!r}",
                                  field="phone")
    return phone


def _clean_email(email: str | None) -> str | None:
    email = (email or "").strip()
    if not email:
        return None
    if not is_email(email):
        raise PersonChangeRefused("email_invalid", f"not an e-mail address: {email!r}",
                                  field="email")
    return email


def _clean_duty(duty: Duty | str) -> Duty:
    try:
        return Duty(duty)
    except ValueError:
        raise PersonChangeRefused("duty_invalid", f"unknown duty {duty!r}", field="duty") from None


def _clean_role(scope: Scope, role: Role | str, current: Role | None = None) -> Role:
    try:
        role = Role(role)
    except ValueError:
        raise PersonChangeRefused("role_invalid", f"unknown role {role!r}", field="role") from None
    if Role.ADMIN in (role, current) and role is not current and not scope.everything:
        raise PersonChangeRefused("role_not_allowed", "only site admins give or take the admin "
                                  "role", field="role")
    return role


def _require_active_unit(unit: OrgUnit) -> None:
    if not unit.active:
        raise PersonChangeRefused("unit_inactive", f"unit {unit.id} is deactivated",
                                  field="unit")


@transactional
def create_person(session: Session, actor: User, *, username: str, display_name: str,
                  unit: OrgUnit, role: Role | str, phone: str | None = None,
                  duty: Duty | str = Duty.MEMBER, email: str | None = None,
                  source: str = "form") -> tuple[User, str]:
    """Add a person to ``unit`` with a generated one-time password, returned to show once."""
    scope = scope_of(session, actor)
    if not allowed(scope, Action.ADMIN_UNIT, unit):
        raise PermissionDenied(f"not an administrator of unit {unit.id}")
    username = (username or "").strip()
    if not USERNAME.fullmatch(username):
        raise PersonChangeRefused("username_invalid", "a username is 3-80 letters, digits or "
                                  ". _ -", field="username")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise PersonChangeRefused("username_taken", f"username {username!r} is taken",
                                  field="username")
    display_name = _clean_name(display_name)
    role = _clean_role(scope, role)
    phone = _clean_phone(phone)
    duty, email = _clean_duty(duty), _clean_email(email)
    _require_active_unit(unit)
    password = accounts.generate_password()
    person = User(username=username, display_name=display_name, role=role, org_unit=unit,
                  phone=phone, duty=duty, email=email,
                  password_hash=accounts.hash_one_time_password(password),
                  must_change_password=True)
    session.add(person)
    session.flush()
    raise_event(session, PersonCreated(actor_id=actor.id, user_id=person.id,
                                       org_unit_id=unit.id, username=username,
                                       display_name=display_name, role=role.value,
                                       source=source))
    return person, password


@transactional
def update_person(session: Session, actor: User, person: User, *,
                  display_name: str | None = None, role: Role | str | None = None,
                  phone: str | None = None, duty: Duty | str | None = None,
                  email: str | None = None, source: str = "form") -> list[str]:
    """Change the fields given (None: keep; ``phone=""`` or ``email=""`` clears it); return
    what changed."""
    scope = _require_manage(session, actor, person)
    wanted: dict[str, object] = {}
    if display_name is not None:
        wanted["display_name"] = _clean_name(display_name)
    if role is not None:
        wanted["role"] = _clean_role(scope, role, person.role)
    if phone is not None:
        wanted["phone"] = _clean_phone(phone)
    if duty is not None:
        wanted["duty"] = _clean_duty(duty)
    if email is not None:
        wanted["email"] = _clean_email(email)
    before, after = {}, {}
    for name, value in wanted.items():
        old = getattr(person, name)
        if value != old:
            before[name] = old.value if isinstance(old, Role | Duty) else old
            after[name] = value.value if isinstance(value, Role | Duty) else value
            setattr(person, name, value)
    if after:
        session.flush()
        raise_event(session, PersonUpdated(actor_id=actor.id, user_id=person.id, before=before,
                                           after=after, source=source))
    return list(after)


@transactional
def move_person(session: Session, actor: User, person: User, new_unit: OrgUnit) -> User:
    """Put ``person`` in ``new_unit`` (admin of both units); their records follow their id.

    Moving to the unit they are in already changes nothing and raises no event. The person's
    row is locked first (``lms.services.locks``): their heartbeat or quiz submission at this
    moment waits for the move, or the move for it, and both complete.
    """
    lock_person(session, person.id)
    _require_manage(session, actor, person)
    require(session, actor, Action.ADMIN_UNIT, new_unit)
    if person.org_unit_id == new_unit.id:
        return person
    _require_active_unit(new_unit)
    old_unit_id = person.org_unit_id
    person.org_unit = new_unit
    session.flush()
    raise_event(session, PersonMoved(actor_id=actor.id, user_id=person.id,
                                     old_unit_id=old_unit_id, new_unit_id=new_unit.id))
    return person


@transactional
def set_person_active(session: Session, actor: User, person: User, active: bool) -> User:
    """Deactivate (sign-in refused, records kept) or reactivate ``person``; never deletes."""
    lock_person(session, person.id)
    _require_manage(session, actor, person)
    if person.active == active:
        return person
    if not active and person.id == actor.id:
        raise PersonChangeRefused("own_account", "an admin cannot deactivate themselves",
                                  field="active")
    if active and person.org_unit is not None:
        _require_active_unit(person.org_unit)
    person.active = active
    if not active:
        accounts.bump_session_version(person)  # a later reactivation revives no old cookie
    session.flush()
    raise_event(session, PersonActivationChanged(actor_id=actor.id, user_id=person.id,
                                                 active=active))
    return person


@transactional
def reset_person_password(session: Session, actor: User, person: User) -> str:
    """Give ``person`` a one-time password (``accounts.reset_password``), to be shown once."""
    _require_manage(session, actor, person)
    if person.external_id is not None:
        raise PersonChangeRefused("external_account", f"{person.username} signs in through "
                                  "the host application", field="password")
    return accounts.reset_password(session, actor, person)

