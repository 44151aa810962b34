"""People and the party organisation tree they belong to."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, UniqueConstraint, event, false, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, UTCDateTime, utcnow


class Role(enum.StrEnum):
    TRAINEE = "trainee"
    TRAINER = "trainer"
    ADMIN = "admin"


class Duty(enum.StrEnum):
    """The kind of person a yearly 学时 target is set for (``LMS_HOURS_TARGETS``)."""

    MEMBER = "member"            # 党员
    SECRETARY = "secretary"      # 基层党组织书记、班子成员
    CADRE = "cadre"              # 书记兼任领导干部


class OrgUnitKind(enum.StrEnum):
    COMMITTEE = "committee"          # 党委
    GENERAL_BRANCH = "general_branch"  # 党总支
    BRANCH = "branch"                # 党支部
    GROUP = "group"                  # 党小组


def _enum(kind: type[enum.Enum], name: str) -> Enum:
    return Enum(kind, name=name, native_enum=False, length=20,
                values_callable=lambda members: [m.value for m in members],
                validate_strings=True)


class OrgUnit(Base):
    """A unit of the 党委 → 党总支 → 党支部 tree.

    ``path`` lists the ids from the root down ("/1/5/12/"), so a subtree is one indexed
    prefix match (``path LIKE '/1/5/%'``) and renaming a unit rewrites no other row. The
    name path people read ("党委/总支/支部") is built from the ancestors (``services.org``).
    """

    __tablename__ = "lms_org_units"
    __table_args__ = (
        UniqueConstraint("parent_id", "name"),
        # A unique key treats NULLs as distinct, so roots get their own: one root per name.
        Index("uq_lms_org_units_root_name", "name", unique=True,
              sqlite_where=text("parent_id IS NULL"), postgresql_where=text("parent_id IS NULL")),
        # varchar_pattern_ops lets PostgreSQL use the index for LIKE '/1/5/%' in any collation.
        Index("ix_lms_org_units_path", "path", unique=True,
              postgresql_ops={"path": "varchar_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("lms_org_units.id"), index=True)
    kind: Mapped[OrgUnitKind] = mapped_column(_enum(OrgUnitKind, "org_unit_kind"))
    name: Mapped[str] = mapped_column(String(100))
    path: Mapped[str] = mapped_column(String(500))
    #: A deactivated unit keeps its rows and history but is offered nowhere new.
    active: Mapped[bool] = mapped_column(default=True, server_default=true())

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id])


def search_key(display_name: str, username: str, phone: str | None) -> str:
    """What the people search matches: name, username and phone, lower-cased, one per line
    (a search text never holds a newline, so it cannot match across two of them)."""
    return "\n".join((display_name, username, phone or "")).lower()


class User(Base):
    __tablename__ = "lms_users"
    __table_args__ = (
        # People per unit and role; it covers the people list's count per unit, a search
        # included, and is the one SQLite's planner picks for that count.
        Index("ix_lms_users_unit_people", "org_unit_id", "role", "active", "search_key"),
        # A unit's page of the people list in name order: no page sorts the population.
        Index("ix_lms_users_org_unit_name", "org_unit_id", "display_name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_enum(Role, "user_role"), default=Role.TRAINEE)
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("lms_org_units.id"))
    active: Mapped[bool] = mapped_column(default=True)
    # Set with a one-time password: every LMS page sends the person to /account until changed.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Kept in the session at sign-in and checked on each request: sign-out, a password
    #: change or deactivation adds one, which ends every session of the person.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    #: 长辈模式: larger type, higher contrast, bigger targets on every page (``auth.display``).
    large_text: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: True whenever the person holds a grant row (``services.grants`` keeps it), so working
    #: out what someone without grants may do needs no query. A grant removed with its course
    #: may leave it true: that costs a query, never a permission.
    has_grants: Mapped[bool] = mapped_column(default=False, server_default=false())
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    #: Optional mobile number, kept as typed (digits, +, spaces, dashes).
    phone: Mapped[str | None] = mapped_column(String(30))
    #: Optional e-mail address: reminders are mailed to it when SMTP is configured.
    email: Mapped[str | None] = mapped_column(String(200))
    #: Which yearly 学时 target applies (``LMS_HOURS_TARGETS``).
    duty: Mapped[Duty] = mapped_column(_enum(Duty, "user_duty"), default=Duty.MEMBER,
                                       server_default=Duty.MEMBER.value)
    #: Last successful sign-in: written by the sign-in that happens anyway, never by a page view.
    last_active_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: ``search_key()`` of the row, set on every ORM insert and update (below). A real
    #: column, not a generated one: SQLite's planner never treats an index on a generated
    #: column as covering, and the people list's count must read the index alone.
    search_key: Mapped[str] = mapped_column(String(220), default="", server_default="",
                                            deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    org_unit: Mapped[OrgUnit | None] = relationship()


@event.listens_for(User, "before_insert")
@event.listens_for(User, "before_update")
def _keep_search_key(_mapper: object, _connection: object, user: User) -> None:
    user.search_key = search_key(user.display_name, user.username, user.phone)
