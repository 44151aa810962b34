"""Demo accounts for `make run`: one of each kind of user, ready to try every room."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.models import Course, GrantKind, Role
from lms.services.accounts import NewUser, create_missing_users
from lms.services.grants import GrantTarget, find_user, grant
from lms.unit_of_work import transactional

DEMO_PEOPLE = (
    NewUser("admin", "管理员", Role.ADMIN, "示范企业党委"),
    NewUser("trainer", "培训讲师", Role.TRAINER, "示范企业党委"),
    NewUser("zhangsan", "张三", Role.TRAINEE, "示范企业党委/第一党总支/第一党支部"),
    NewUser("lisi", "李四", Role.TRAINEE, "示范企业党委/第一党总支/第二党支部"),
)
AUTHOR = "trainer"


@transactional
def create_demo_accounts(session: Session) -> list[tuple[NewUser, str]]:
    """Create the missing demo people; the new trainer authors every loaded course, so the
    question-bank pages (course authors only) can be tried too."""
    created = create_missing_users(session, list(DEMO_PEOPLE))
    for person, _ in created:
        if person.username != AUTHOR:
            continue
        trainer = find_user(session, AUTHOR)
        for course in session.scalars(select(Course).order_by(Course.id)):
            grant(session, trainer, GrantTarget(GrantKind.COURSE_AUTHOR, course=course))
    return created
