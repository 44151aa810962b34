"""One-use confirms for imports: stage the validated rows, claim them once, hand out
passwords once.

A preview stores the file's normalised rows in an ``ImportBatch`` and gives the admin a
random token; only its SHA-256 is kept. The confirm claims the batch with a conditional
UPDATE (``confirmed_at IS NULL``) inside the unit of work that imports the rows, so a
replayed POST, a double click or two tabs confirming at once import exactly once. New
people's one-time passwords are handed out by the same pattern, then are gone from the
database. Batches live an hour: staging a new one wipes what older ones still hold.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from lms.db import utcnow
from lms.models import ImportBatch, User
from lms.models.imports import BATCH_LIFETIME
from lms.services.errors import DomainError, InvalidInput, NotFound
from lms.services.tabular import Problem
from lms.unit_of_work import transactional


class BatchRefused(DomainError):
    """A confirm or download that cannot be honoured; ``reason`` is a stable key:
    ``unknown``, ``expired``, ``already_imported`` or ``passwords_gone``."""

    status = 409

    def __init__(self, reason: str, batch_id: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.batch_id = batch_id


class ImportStale(InvalidInput):
    """At confirm time the rows no longer fit the database (someone changed it meanwhile),
    or applying a row was refused: nothing was imported; ``problems`` say which rows."""

    def __init__(self, problems: list[Problem]):
        super().__init__("the import no longer fits the database; nothing was imported")
        self.problems = problems


def purge_expired(session: Session) -> None:
    """Drop previews nobody confirmed within the hour, and wipe passwords not downloaded
    within an hour of their confirm. Runs with every stage and confirm, and from
    ``flask lms imports purge`` (put it on a timer, so no password outlives its hour)."""
    cutoff = utcnow() - BATCH_LIFETIME
    session.execute(delete(ImportBatch).where(ImportBatch.created_at < cutoff,
                                              ImportBatch.confirmed_at.is_(None)))
    session.execute(update(ImportBatch)
                    .where(ImportBatch.confirmed_at < cutoff, ImportBatch.passwords.is_not(None))
                    .values(passwords=None).execution_options(synchronize_session=False))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transactional
def stage(session: Session, actor: User, kind: str, rows: list[dict[str, Any]],
          summary: dict[str, Any]) -> tuple[ImportBatch, str]:
    """Keep clean, normalised rows until they are confirmed; return the batch and its token."""
    purge_expired(session)
    token = secrets.token_urlsafe(32)
    batch = ImportBatch(kind=kind, token_hash=token_hash(token), created_by_id=actor.id,
                        rows=rows, summary=summary)
    session.add(batch)
    session.flush()
    return batch, token


def claim(session: Session, actor: User, kind: str, token: str) -> ImportBatch:
    """Mark the batch behind ``token`` confirmed; call inside the unit of work that imports.

    Only the admin who uploaded the file may confirm it. The UPDATE's condition, not the
    read before it, decides: of two concurrent confirms one finds the row already taken.
    """
    batch = session.scalar(select(ImportBatch).where(
        ImportBatch.token_hash == token_hash(token or ""), ImportBatch.kind == kind))
    if batch is None or batch.created_by_id != actor.id:
        raise BatchRefused("unknown")
    if batch.confirmed_at is not None:
        raise BatchRefused("already_imported", batch.id)
    now = utcnow()
    if now >= batch.expires_at:
        raise BatchRefused("expired")
    taken = session.execute(
        update(ImportBatch).where(ImportBatch.id == batch.id, ImportBatch.confirmed_at.is_(None))
        .values(confirmed_at=now).execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        raise BatchRefused("already_imported", batch.id)
    session.expire(batch, ["confirmed_at"])
    purge_expired(session)
    return batch


def confirmed_batch(session: Session, actor: User, kind: str, batch_id: int) -> ImportBatch:
    """A confirmed batch of the signed-in admin's own, for its result page (else 404)."""
    batch = session.get(ImportBatch, batch_id)
    if (batch is None or batch.kind != kind or batch.created_by_id != actor.id
            or batch.confirmed_at is None):
        raise NotFound(f"no confirmed {kind} import {batch_id}")
    return batch


def passwords_available(batch: ImportBatch) -> bool:
    expires = batch.passwords_expire_at
    return bool(batch.passwords) and expires is not None and utcnow() < expires


@transactional
def take_passwords(session: Session, actor: User, kind: str,
                   batch_id: int) -> list[dict[str, str]]:
    """Return the batch's one-time passwords and wipe them, so a second download gets none."""
    batch = confirmed_batch(session, actor, kind, batch_id)
    passwords = list(batch.passwords or [])
    if not passwords_available(batch):
        raise BatchRefused("passwords_gone", batch.id)
    wiped = session.execute(
        update(ImportBatch).where(ImportBatch.id == batch.id, ImportBatch.passwords.is_not(None))
        .values(passwords=None).execution_options(synchronize_session=False))
    if wiped.rowcount != 1:
        raise BatchRefused("passwords_gone", batch.id)
    session.expire(batch, ["passwords"])
    return passwords
