"""Accounts: creating users, checking passwords, mapping a host app's users."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session
from werkzeug.security import check_password_hash

from lms.db import utcnow
from lms.events import PasswordChanged, PersonCreated, PersonMoved
from lms.models import Duty, Role, User
from lms.services.email_address import is_email
from lms.services.errors import InvalidInput
from lms.services.org import ensure_unit_path, name_path, split_unit_path
from lms.services.passwords import (
    dummy_hash,
    hash_one_time_password,
    hash_password,
    needs_rehash,
)
from lms.unit_of_work import raise_event, transactional

USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{2,80}$")
MIN_PASSWORD_LENGTH = 8


def generate_password() -> str:
    """Return a random password that is easy to read aloud (no 0/O, 1/l)."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


@transactional
def create_user(session: Session, *, username: str, display_name: str, role: Role | str,
                password: str | None, unit_path: str | None = None,
                external_id: str | None = None, duty: Duty | str = Duty.MEMBER,
                email: str | None = None) -> User:
    username = username.strip()
    if not USERNAME.match(username):
        raise InvalidInput("username must be 2-80 letters, digits or _ . @ -", field="username")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise InvalidInput(f"username {username!r} is taken", field="username")
    display_name = display_name.strip()
    if not display_name or len(display_name) > 100:
        raise InvalidInput("display name must be 1-100 characters", field="name")
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInput(f"unknown role {role!r}", field="role") from None
    try:
        duty = Duty(duty)
    except ValueError:
        raise InvalidInput(f"unknown duty {duty!r} (member, secretary or cadre)",
                           field="duty") from None
    email = (email or "").strip() or None
    if email is not None and not is_email(email):
        raise InvalidInput(f"not an e-mail address: {email!r}", field="email")
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"password must have at least {MIN_PASSWORD_LENGTH} characters",
                           field="password")
    unit = ensure_unit_path(session, unit_path) if unit_path else None
    user = User(
        username=username, display_name=display_name, role=role, org_unit=unit,
        password_hash=hash_password(password) if password is not None else None,
        external_id=external_id, duty=duty, email=email,
    )
    session.add(user)
    session.flush()
    # Like an admin's new person: assignments of the unit reach them, the counters see them.
    raise_event(session, PersonCreated(actor_id=None, user_id=user.id,
                                       org_unit_id=unit.id if unit is not None else None,
                                       username=username, display_name=display_name,
                                       role=role.value, source="system"))
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """Return the active user with this password, or None, taking the same time either way."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    hashed = user.password_hash if user is not None and user.password_hash else dummy_hash()
    valid = check_password_hash(hashed, password)
    if user is None or not user.active or not user.password_hash or not valid:
        return None
    return user


def sign_in(session: Session, username: str, password: str) -> User | None:
    """``authenticate``, then note the sign-in time in one short unit of work.

    A hash made with an older method or weaker parameters is replaced in the same unit, by
    one of today's (``passwords``), as only now is the password at hand. A one-time password
    is not: the forced change replaces it. The slow hashing runs before the write begins, so
    it holds no write lock; a page view writes nothing, so ``last_active_at`` is the last
    sign-in, not the last click.
    """
    user = authenticate(session, username, password)
    if user is None:
        return None
    checked = user.password_hash
    upgrade = (hash_password(password)
               if checked and not user.must_change_password and needs_rehash(checked) else None)
    return user if _stamp_sign_in(session, user, checked, upgrade) else None


@transactional
def _stamp_sign_in(session: Session, user: User, checked: str | None,
                   upgrade: str | None) -> bool:
    """Write the sign-in time (and ``upgrade``, unless the password changed meanwhile);
    False if the person was deactivated meanwhile."""
    if not user.active:
        return False
    user.last_active_at = utcnow()
    if upgrade is not None and user.password_hash == checked:
        user.password_hash = upgrade
    return True


@transactional
def end_sessions(session: Session, user: User) -> None:
    """Sign the person out everywhere (sign-out ends the other devices' sessions too)."""
    bump_session_version(user)


def bump_session_version(user: User) -> None:
    """End every session of ``user``, in the caller's unit of work (``auth.session``)."""
    user.session_version += 1


@transactional
def change_password(session: Session, user: User, current: str, new: str) -> None:
    """Let a person replace their own password, proving they know the current one.

    Every session of the person ends (``end_sessions``); the caller signs this one in again.
    """
    if not user.password_hash or not check_password_hash(user.password_hash, current):
        raise InvalidInput("the current password is wrong", field="current_password")
    if new == current:
        raise InvalidInput("the new password must differ from the current one",
                           field="new_password")
    _store_password(session, user.id, user, new, one_time=False)


@transactional
def set_password(session: Session, actor: User | None, user: User, password: str) -> None:
    """Set a password chosen by an operator (the CLI); the person need not change it."""
    _store_password(session, actor.id if actor else None, user, password, one_time=False)


@transactional
def reset_password(session: Session, actor: User | None, user: User) -> str:
    """Give the person a generated one-time password and return it, to be shown once.

    Until they choose their own, every LMS page sends them to their account page.
    """
    password = generate_password()
    _store_password(session, actor.id if actor else None, user, password, one_time=True)
    return password


def _store_password(session: Session, actor_id: int | None, user: User, password: str, *,
                    one_time: bool) -> None:
    if user.external_id is not None:
        raise InvalidInput(f"{user.username} signs in through the host application",
                           field="user")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"password must have at least {MIN_PASSWORD_LENGTH} characters",
                           field="new_password")
    user.password_hash = (hash_one_time_password(password) if one_time
                          else hash_password(password))
    user.must_change_password = one_time
    bump_session_version(user)
    session.flush()
    raise_event(session, PasswordChanged(actor_id=actor_id, user_id=user.id, one_time=one_time))


@dataclass(frozen=True)
class HostIdentity:
    """Who a host app says the current user is; LMS keeps a row per external id."""

    external_id: str
    username: str
    display_name: str
    role: Role | str = Role.TRAINEE
    unit_path: str | None = None


def host_user_is_current(user: User | None, identity: HostIdentity) -> bool:
    """True when the LMS row already says what the host says, so no write is needed."""
    return (user is not None and user.display_name == identity.display_name
            and user.role is Role(identity.role)
            and (not identity.unit_path or _in_unit(user, identity.unit_path)))


def _in_unit(user: User, unit_path: str) -> bool:
    """Whether the user's unit is at the name path the host gives (read from its ancestors)."""
    session = object_session(user)
    if user.org_unit is None or session is None:
        return False
    try:
        wanted = split_unit_path(unit_path)
    except InvalidInput:
        return False  # let sync_host_user report it
    return name_path(session, user.org_unit).split("/") == wanted


@dataclass(frozen=True)
class NewUser:
    username: str
    display_name: str
    role: Role | str = Role.TRAINEE
    unit_path: str | None = None


@transactional
def create_missing_users(session: Session, people: list[NewUser]) -> list[tuple[NewUser, str]]:
    """Create each person whose username is free, with a generated password (all or none)."""
    created = []
    for person in people:
        if session.scalar(select(User.id).where(User.username == person.username)) is not None:
            continue
        password = generate_password()
        create_user(session, username=person.username, display_name=person.display_name,
                    role=person.role, password=password, unit_path=person.unit_path)
        created.append((person, password))
    return created


@transactional
def sync_host_user(session: Session, identity: HostIdentity) -> User:
    """Create or update the LMS row for a host app's user."""
    user = session.scalar(select(User).where(User.external_id == identity.external_id))
    if user is None:
        return create_user(session, username=identity.username,
                           display_name=identity.display_name, role=identity.role,
                           password=None, unit_path=identity.unit_path,
                           external_id=identity.external_id)
    user.display_name = identity.display_name or user.display_name
    user.role = Role(identity.role)
    if identity.unit_path:
        unit = ensure_unit_path(session, identity.unit_path)
        if unit.id != user.org_unit_id:
            old_unit_id = user.org_unit_id
            user.org_unit = unit
            session.flush()
            raise_event(session, PersonMoved(actor_id=None, user_id=user.id,
                                             old_unit_id=old_unit_id, new_unit_id=unit.id))
    return user
