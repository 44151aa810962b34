"""Display preferences a person keeps on their own row (长辈模式), across devices."""

from __future__ import annotations

from sqlalchemy.orm import Session

from lms.models import User
from lms.unit_of_work import transactional


@transactional
def set_large_text(session: Session, user: User, on: bool) -> None:
    """Remember large text mode for ``user``: it follows them to every device they sign in on."""
    user.large_text = on
