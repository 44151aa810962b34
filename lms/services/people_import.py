"""Bulk import of people from CSV or XLSX: check every row, preview, then import once.

A 党委's organisation department keeps its roster in Excel: 姓名, 用户名, 所属组织 (a unit
name path such as 党委/第一党总支/第一党支部), 角色 (学员/讲师/管理员 or trainee/trainer/admin)
and the optional 手机号, 身份 (党员/支部书记/领导干部, or member/secretary/cadre: which yearly 学时
target applies) and 邮箱. Every row is checked against the database and the admin's scope
before anything is stored, and one bad row stops the whole file, so a roster is never half
imported. People are matched by username: a re-imported roster updates (or leaves alone)
the people it created before instead of failing or duplicating them. An empty 手机号, 身份
or 邮箱 keeps what is on record (a new person is then a 党员 without e-mail).

The import itself goes through ``people_admin`` (create, update, move), so the same rules,
events and audit rows apply as for one person entered by hand, all in one unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lms.models import Duty, Grant, ImportBatch, OrgUnit, Role, User
from lms.services import import_batches, people_admin
from lms.services.email_address import is_email
from lms.services.errors import InvalidInput, PermissionDenied
from lms.services.hours_targets import parse_duty
from lms.services.import_batches import ImportStale
from lms.services.locks import lock_people
from lms.services.org import find_unit, split_unit_path
from lms.services.permissions import Action, Scope, allowed, scope_of
from lms.services.tabular import Problem, Table, cell, map_columns, read_table
from lms.unit_of_work import transactional

KIND = "people"
TEMPLATE_HEADER = ("姓名", "用户名", "所属组织", "角色", "手机号", "身份", "邮箱")
TITLES = dict(zip(("name", "username", "unit", "role", "phone", "duty", "email"),
                  TEMPLATE_HEADER, strict=True))
ALIASES = {**{title: key for key, title in TITLES.items()}, **{key: key for key in TITLES},
           "组织": "unit", "手机": "phone", "手机号码": "phone", "display_name": "name",
           "电子邮箱": "email", "电子邮件": "email", "e-mail": "email", "人员类别": "duty"}
REQUIRED = ("name", "username", "unit", "role")
ROLES = {"学员": Role.TRAINEE, "讲师": Role.TRAINER, "管理员": Role.ADMIN,
         **{role.value: role for role in Role}}
CHUNK = 500


@dataclass(frozen=True)
class PlannedPerson:
    """One checked row: what the import will do with it."""

    row: dict[str, Any]           # the normalised row, as stored in the batch
    status: str                   # new | updated | unchanged
    changes: tuple[str, ...] = ()  # display_name, role, phone, duty, email, unit
    person: User | None = None
    unit: OrgUnit | None = None


@dataclass
class Preview:
    problems: list[Problem] = field(default_factory=list)
    planned: list[PlannedPerson] = field(default_factory=list)
    token: str | None = None

    @property
    def counts(self) -> dict[str, int]:
        counts = {"new": 0, "updated": 0, "unchanged": 0}
        for item in self.planned:
            counts[item.status] += 1
        return counts


def prepare(session: Session, actor: User, filename: str, data: bytes) -> Preview:
    """Read and check an upload; a clean file is staged and its preview gets a confirm token.

    Raises ``TableRefused`` when the file cannot be read at all.
    """
    table = read_table(filename, data)
    rows, problems = normalise(table)
    bad = {problem.row for problem in problems}
    preview = check(session, actor, [row for row in rows if row["row"] not in bad])
    preview.problems = sorted(problems + preview.problems, key=lambda problem: problem.row)
    if preview.problems:
        preview.planned = []
        return preview
    if not preview.planned:
        preview.problems.append(Problem(2, "no_rows"))
        return preview
    _, preview.token = import_batches.stage(session, actor, KIND, rows,
                                            {"counts": preview.counts})
    return preview


def normalise(table: Table) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The file's rows as plain values, with the problems visible without the database."""
    columns, problems = map_columns(table.header, ALIASES, TITLES, REQUIRED)
    if problems:
        return [], problems
    rows: list[dict[str, Any]] = []
    first_row: dict[str, int] = {}
    for number, cells in table.rows:
        row = {key: cell(cells, columns, key) for key in TITLES}
        row["row"] = number
        found = _row_problems(row)
        if row["username"] in first_row:
            found.append(Problem(number, "username_duplicate",
                                 {"username": row["username"],
                                  "other": first_row[row["username"]]}))
        elif row["username"]:
            first_row[row["username"]] = number
        problems += found
        rows.append(row)
    return rows, problems


def _row_problems(row: dict[str, Any]) -> list[Problem]:
    number, found = row["row"], []
    if not row["name"]:
        found.append(Problem(number, "name_required"))
    elif len(row["name"]) > people_admin.NAME_MAX:
        found.append(Problem(number, "name_too_long"))
    if not row["username"]:
        found.append(Problem(number, "username_required"))
    elif not people_admin.USERNAME.fullmatch(row["username"]):
        found.append(Problem(number, "username_invalid", {"username": row["username"]}))
    role = ROLES.get(row["role"].casefold())
    if role is None:
        found.append(Problem(number, "role_invalid" if row["role"] else "role_required",
                             {"role": row["role"]}))
    else:
        row["role"] = role.value
    if row["phone"] and (len(row["phone"]) > 30 or not people_admin.PHONE.fullmatch(row["phone"])):
        found.append(Problem(number, "phone_invalid", {"phone": row["phone"]}))
    if row["duty"]:
        duty = parse_duty(row["duty"])
        if duty is None:
            found.append(Problem(number, "duty_invalid", {"duty": row["duty"]}))
        else:
            row["duty"] = duty.value
    if row["email"] and not is_email(row["email"]):
        found.append(Problem(number, "email_invalid", {"email": row["email"]}))
    if not row["unit"]:
        found.append(Problem(number, "unit_required"))
    else:
        try:
            row["unit"] = "/".join(split_unit_path(row["unit"]))
        except InvalidInput:
            found.append(Problem(number, "unit_path_invalid", {"unit": row["unit"]}))
    return found


def check(session: Session, actor: User, rows: list[dict[str, Any]]) -> Preview:
    """Check normalised rows against the database and what ``actor`` administers."""
    scope = scope_of(session, actor)
    units: dict[str, OrgUnit | None] = {}
    people = _people_by_username(session, [row["username"] for row in rows])
    with_grants = _holding_grants(session, [person.id for person in people.values()])
    preview = Preview()
    for row in rows:
        number, found = row["row"], []
        if row["unit"] not in units:
            units[row["unit"]] = find_unit(session, row["unit"])
        unit = units[row["unit"]]
        if unit is None:
            found.append(Problem(number, "unit_unknown", {"unit": row["unit"]}))
        elif not allowed(scope, Action.ADMIN_UNIT, unit):
            found.append(Problem(number, "unit_outside", {"unit": row["unit"]}))
        elif not unit.active:
            found.append(Problem(number, "unit_inactive", {"unit": row["unit"]}))
        person = people.get(row["username"])
        role = Role(row["role"])
        if person is not None:
            found += _person_problems(session, scope, person, row, person.id in with_grants)
        elif role is Role.ADMIN and not scope.everything:
            found.append(Problem(number, "role_not_allowed"))
        if found:
            preview.problems += found
        elif person is None:
            preview.planned.append(PlannedPerson(row, "new", unit=unit))
        else:
            changes = _changes(person, row, unit)
            preview.planned.append(PlannedPerson(row, "updated" if changes else "unchanged",
                                                 changes, person, unit))
    return preview


def _people_by_username(session: Session, usernames: list[str]) -> dict[str, User]:
    wanted = sorted({name for name in usernames if name})
    found: dict[str, User] = {}
    for start in range(0, len(wanted), CHUNK):
        for person in session.scalars(
                select(User).where(User.username.in_(wanted[start:start + CHUNK]))
                .options(selectinload(User.org_unit))):
            found[person.username] = person
    return found


def _holding_grants(session: Session, user_ids: list[int]) -> set[int]:
    held: set[int] = set()
    for start in range(0, len(user_ids), CHUNK):
        held.update(session.scalars(select(Grant.user_id).distinct().where(
            Grant.user_id.in_(user_ids[start:start + CHUNK]))))
    return held


def _person_problems(session: Session, scope: Scope, person: User, row: dict[str, Any],
                     has_grants: bool) -> list[Problem]:
    """Whether ``scope`` may update this existing person as the row asks.

    ``people_admin.may_manage`` reads the person's grants; it is asked only for people who
    hold grants or the admin role, the others' answer being their unit alone.
    """
    number, username = row["row"], row["username"]
    if not scope.everything and (person.org_unit is None or not allowed(
            scope, Action.ADMIN_UNIT, person.org_unit)):
        return [Problem(number, "person_outside", {"username": username})]
    if (has_grants or person.role is Role.ADMIN) and not people_admin.may_manage(
            session, scope, person):
        return [Problem(number, "person_protected", {"username": username})]
    if not person.active:
        return [Problem(number, "person_inactive", {"username": username})]
    if (Role.ADMIN in (person.role, Role(row["role"])) and person.role.value != row["role"]
            and not scope.everything):
        return [Problem(number, "role_not_allowed")]
    return []


def _changes(person: User, row: dict[str, Any], unit: OrgUnit | None) -> tuple[str, ...]:
    changes = []
    if person.display_name != row["name"]:
        changes.append("display_name")
    if person.role.value != row["role"]:
        changes.append("role")
    if row["phone"] and person.phone != row["phone"]:
        changes.append("phone")
    if row.get("duty") and person.duty.value != row["duty"]:
        changes.append("duty")
    if row.get("email") and person.email != row["email"]:
        changes.append("email")
    if unit is not None and person.org_unit_id != unit.id:
        changes.append("unit")
    return tuple(changes)


@transactional
def confirm(session: Session, actor: User, token: str) -> ImportBatch:
    """Import the staged rows behind ``token``, once: all of them or, on any failure, none.

    The rows are checked again, as the database may have changed since the preview; new
    people's one-time passwords are kept on the batch for one download.
    """
    batch = import_batches.claim(session, actor, KIND, token)
    preview = check(session, actor, batch.rows)
    if preview.problems:
        raise ImportStale(preview.problems)
    # Everyone changed, in id order, before any of them (lms.services.locks).
    lock_people(session, (item.person.id for item in preview.planned if item.person))
    passwords = []
    for item in preview.planned:
        try:
            _apply(session, actor, item, passwords)
        except people_admin.PersonChangeRefused as error:
            raise ImportStale([Problem(item.row["row"], error.reason, item.row)]) from None
        except PermissionDenied:
            raise ImportStale([Problem(item.row["row"], "person_protected", item.row)]) from None
    batch.summary = {"counts": preview.counts}
    batch.passwords = passwords or None
    session.flush()
    return batch


def _apply(session: Session, actor: User, item: PlannedPerson,
           passwords: list[dict[str, str]]) -> None:
    row = item.row
    if item.status == "new":
        person, password = people_admin.create_person(
            session, actor, username=row["username"], display_name=row["name"], unit=item.unit,
            role=row["role"], phone=row["phone"] or None, duty=row.get("duty") or Duty.MEMBER,
            email=row.get("email") or None, source="import")
        passwords.append({"username": person.username, "name": person.display_name,
                          "password": password})
    elif item.status == "updated":
        if "unit" in item.changes:
            people_admin.move_person(session, actor, item.person, item.unit)
        if set(item.changes) - {"unit"}:
            people_admin.update_person(session, actor, item.person, display_name=row["name"],
                                       role=row["role"], phone=row["phone"] or None,
                                       duty=row.get("duty") or None,
                                       email=row.get("email") or None, source="import")

