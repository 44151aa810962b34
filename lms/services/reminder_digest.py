"""Unit admins' weekly digest: how many people of their units are overdue, per course.

Two reads whatever the number of admins: the overdue people per (unit, course), rolled up
the id paths in Python into every ancestor's subtree, and every admin's units (grants plus
the role's own unit). The counts are those of the admin's overdue list (``stats_people``):
everyone in the subtrees past a due date and not done, on published, unarchived courses.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lms.models import Course, Enrollment, Grant, GrantKind, Notice, OrgUnit, Role, User
from lms.services.org import ancestor_ids

DIGEST = "unit_digest"
#: An admin's units: a set of id paths, or None for the whole site.
Reach = set[str] | None


def write_digests(session: Session, day: date, stamp: datetime) -> int:
    """One digest per admin with overdue people in reach, once per week (Monday's date)."""
    per_unit = session.execute(
        select(OrgUnit.path, Enrollment.course_id, func.count())
        .join(User, User.id == Enrollment.user_id)
        .join(OrgUnit, OrgUnit.id == User.org_unit_id)
        .join(Course, Course.id == Enrollment.course_id)
        .where(Enrollment.assigned, Enrollment.completed_at.is_(None), Enrollment.due_on < day,
               Course.published, Course.archived_at.is_(None))
        .group_by(OrgUnit.path, Enrollment.course_id)).all()
    if not per_unit:
        return 0
    subtree: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    everywhere: dict[int, int] = defaultdict(int)
    for path, course_id, count in per_unit:
        everywhere[course_id] += count
        for unit_id in ancestor_ids(path):
            subtree[unit_id][course_id] += count
    courses = {row.id: row for row in session.execute(
        select(Course.id, Course.slug, Course.title).where(Course.id.in_(list(everywhere))))}
    week = (day - timedelta(days=day.weekday())).isoformat()
    rows = []
    for user_id, reach in _admins(session).items():
        counts = everywhere if reach is None else _sum(
            subtree.get(ancestor_ids(path)[-1], {}) for path in _outermost(reach))
        listed = sorted((c for c in counts.items() if c[1]), key=lambda c: (-c[1], c[0]))
        if not listed:
            continue
        rows.append({"user_id": user_id, "kind": DIGEST, "dedupe_key": f"{DIGEST}:{week}",
                     "course_id": None, "created_at": stamp,
                     "params": {"week": week, "courses": [
                         {"slug": courses[course_id].slug, "title": courses[course_id].title,
                          "overdue": count} for course_id, count in listed]}})
    if not rows:
        return 0
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    written = session.execute(
        insert(Notice).on_conflict_do_nothing(index_elements=["user_id", "dedupe_key"])
        .returning(Notice.id), rows)
    return len(written.all())


def _admins(session: Session) -> dict[int, Reach]:
    """Every active admin's reach: site admins (a grant, or the role without a unit) reach
    everything; unit admins their grants' units and, with the role, their own unit."""
    reach: dict[int, Reach] = {}

    def add(user_id: int, path: str | None) -> None:
        if path is None:
            reach[user_id] = None
        elif reach.setdefault(user_id, set()) is not None:
            reach[user_id].add(path)

    for user_id, path in session.execute(
            select(Grant.user_id, OrgUnit.path)
            .outerjoin(OrgUnit, OrgUnit.id == Grant.org_unit_id)
            .join(User, User.id == Grant.user_id)
            .where(User.active, Grant.kind.in_([GrantKind.SITE_ADMIN, GrantKind.UNIT_ADMIN]))):
        add(user_id, path)
    for user_id, path in session.execute(
            select(User.id, OrgUnit.path).outerjoin(OrgUnit, OrgUnit.id == User.org_unit_id)
            .where(User.active, User.role == Role.ADMIN)):
        add(user_id, path)
    return reach


def _outermost(paths: set[str]) -> set[str]:
    """Drop subtrees inside another one listed, so nobody is counted twice."""
    return {p for p in paths if not any(p != q and p.startswith(q) for q in paths)}


def _sum(parts) -> dict[int, int]:
    total: dict[int, int] = defaultdict(int)
    for part in parts:
        for course_id, count in part.items():
            total[course_id] += count
    return total
