"""Reading the admin audit log: newest first, a page at a time, within the reader's scope."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from lms.models import AdminAction, User
from lms.services.org_admin import scope_clause
from lms.services.permissions import Scope


@dataclass(frozen=True)
class AuditPage:
    entries: list[tuple[AdminAction, str | None]]  # each with its actor's display name
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def list_actions(session: Session, scope: Scope, *, action: str | None = None, page: int = 1,
                 page_size: int = 20) -> AuditPage:
    """Entries ``scope`` may read: all for site admins, else those under its subtrees.

    Site-wide entries (no unit, such as a site admin grant) are for site admins only.
    """
    where = [scope_clause(scope, AdminAction.org_unit_path)]
    if action:
        where.append(AdminAction.action == action)
    total = session.scalar(select(func.count(AdminAction.id)).where(*where)) or 0
    page = max(1, page)
    actor = aliased(User)
    rows = session.execute(
        select(AdminAction, actor.display_name)
        .outerjoin(actor, AdminAction.actor_id == actor.id).where(*where)
        .order_by(AdminAction.occurred_at.desc(), AdminAction.id.desc())
        .limit(page_size).offset((page - 1) * page_size)).all()
    return AuditPage(list(rows), total, page, page_size)
