"""How an audit entry reads: names instead of ids, and before → after as labelled lines.

Everything here works from the names ``admin_audit.load_names`` read for the whole page, so
wording an entry asks the database nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.admin.forms import KIND_LABELS
from lms.duty_labels import DUTY_LABELS
from lms.models import AdminAction
from lms.services.admin_audit import COURSE_KEYS, MODULE_KEYS, UNIT_KEYS, USER_KEYS, Names

#: Labels of the keys in an entry's before/after; an unknown key is shown as it is.
KEY_LABELS = {
    "name": _l("Name"),
    "kind": _l("Kind"),
    "parent_id": _l("Parent unit"),
    "path": _l("Place in the tree"),
    "active": _l("Active"),
    "org_unit_id": _l("Unit"),
    "course_id": _l("Course"),
    "module_id": _l("Module"),
    "user_id": _l("Person"),
    "username": _l("Username"),
    "display_name": _l("Name"),
    "role": _l("Role"),
    "phone": _l("Phone"),
    "duty": _l("Duty"),
    "email": _l("E-mail"),
    "source": _l("Source"),
    "password": _l("Password"),
    "reason": _l("Reason"),
    "due_on": _l("Due date"),
    "status": _l("Status"),
    "version": _l("Version"),
    "restored_from": _l("Restores version"),
    "slug": _l("Short name"),
    "title": _l("Title"),
    "hours_kind": _l("Kind of study hours"),
    "hours": _l("Hours"),
    "held_on": _l("Date held"),
    "code": _l("Certificate code"),
}
#: Words for stored values, by key: grant and unit kinds, roles, where a change came from.
VALUE_LABELS = {
    "kind": {"site_admin": _l("Site admin"), "unit_admin": _l("Unit admin"),
             "course_author": _l("Course author"),
             **{kind.value: label for kind, label in KIND_LABELS.items()}},
    "role": {"admin": _l("Administrator"), "trainer": _l("Trainer"), "trainee": _l("Trainee")},
    "duty": {duty.value: label for duty, label in DUTY_LABELS.items()},
    "source": {"form": _l("Form"), "import": _l("Import")},
    "hours_kind": {"central": _l("Central training"), "group": _l("Group study")},
    "password": {"one-time": _l("One-time password"), "set": _l("Password set")},
    "status": {"draft": _l("Draft"), "published": _l("Published"),
               "unpublished": _l("Unpublished"), "archived": _l("Archived"),
               "deleted": _l("Deleted")},
}


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def person(names: Names, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    name, username = names.users.get(user_id, (None, None))
    return f"{name} ({username})" if name is not None else f"#{user_id}"


def target(entry: AdminAction, names: Names) -> str:
    """Who or what the entry is about, by name."""
    if entry.target_id is None:
        return "—"
    if entry.target_kind == "user":
        return person(names, entry.target_id) or "—"
    if entry.target_kind == "org_unit":
        return names.units.get(entry.target_id, f"#{entry.target_id}")
    if entry.target_kind == "course":
        return names.courses.get(entry.target_id, f"#{entry.target_id}")
    return f"{entry.target_kind} #{entry.target_id}"


def _value(key: str, value: Any, names: Names) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int):
        found = (names.units.get(value) if key in UNIT_KEYS
                 else person(names, value) if key in USER_KEYS
                 else names.courses.get(value) if key in COURSE_KEYS
                 else names.modules.get(value) if key in MODULE_KEYS else str(value))
        return found or f"#{value}"
    if key == "path" and isinstance(value, str):
        return names.unit_path(value) or value
    label = VALUE_LABELS.get(key, {}).get(str(value))
    return str(label) if label is not None else str(value)


def changes(entry: AdminAction, names: Names) -> list[Change]:
    """One line per key: "Name: 旧名 → 新名"; keys empty on both sides are left out."""
    before, after = entry.before or {}, entry.after or {}
    keys = [*before, *(key for key in after if key not in before)]
    return [Change(str(KEY_LABELS.get(key, key)), _value(key, before.get(key), names),
                   _value(key, after.get(key), names))
            for key in keys if before.get(key) is not None or after.get(key) is not None]
