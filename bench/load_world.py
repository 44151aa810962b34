"""The load test's data: the bundled course and N trainees whose passwords the clients know.

Built through the services in one unit of work, not over HTTP, so 50 people take a second:
the passwords get the cheap one-time hash method (``accounts.hash_one_time_password``) and
no forced change, as an import followed by a first sign-in would leave them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import select

from lms import create_app, migrate
from lms.content.loader import read_course
from lms.models import User
from lms.services import accounts, catalog
from lms.unit_of_work import unit_of_work

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "courses" / "jiceng-dangjian"
UNIT = "压测党委/第一党支部"
PASSWORD = "load-test-1"


@dataclass(frozen=True)
class World:
    course: str
    modules: list[str]
    usernames: list[str]


def module_slugs(folder: Path = COURSE) -> list[str]:
    names = yaml.safe_load((folder / "course.yml").read_text("utf-8"))["modules"]
    return [yaml.safe_load((folder / name).read_text("utf-8").split("---")[1])["slug"]
            for name in names]


def build_world(url: str, trainees: int, instance: Path) -> World:
    """Migrate an empty database at ``url`` and fill it; return what the clients need."""
    app = create_app({"LMS_DATABASE_URL": url, "SECRET_KEY": "load"},
                     instance_path=str(instance))
    state = app.extensions["lms"]
    migrate.upgrade(state.engine)
    usernames = [f"load{n:03d}" for n in range(trainees)]
    with app.app_context():
        session = state.session()
        with unit_of_work(session):
            catalog.upsert_course(session, read_course(COURSE, state.question_types))
        with unit_of_work(session):
            for name in usernames:
                accounts.create_user(session, username=name, display_name=f"压测学员{name[4:]}",
                                     role="trainee", password=None, unit_path=UNIT)
            for user in session.scalars(select(User).where(User.username.in_(usernames))):
                user.password_hash = accounts.hash_one_time_password(PASSWORD)
    state.engine.dispose()
    return World(COURSE.name, module_slugs(), usernames)
