"""Where the content of attached files lies (decision 0041): a folder of this host (`local`, the default) or the
database every app host shares (`database`). One seam: store a content, read it, purge the contents nothing names.

Both stores keep one `attachment_contents` row per digest, written in the caller's transaction: with `database`
it holds the content; with `local` it holds only the digest and the time it was last stored, so that the purge
and an upload of the same content meet on one row lock (see `purge_orphans`).
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import delete, exists, func, select

from ..extensions import db
from .models import Attachment, AttachmentContent
from .operations import _insert  # PostgreSQL's or SQLite's INSERT … ON CONFLICT

STORES = ("local", "database")
"""The values ATTACHMENT_STORE takes."""


class FileStore(Protocol):
    """The content of attached files, by SHA-256."""

    def put(self, sha256: str, content: bytes, now: datetime) -> None:
        """Keep a content (whole or not at all); within the caller's transaction."""

    def read(self, sha256: str) -> bytes:
        """The content of a digest stored before; FileNotFoundError when it is gone."""

    def forget(self, digests: Sequence[str]) -> None:
        """Drop what the store holds of digests whose rows the purge is deleting."""


class LocalStore:
    """A folder on this host: `<folder>/<first two hex digits>/<SHA-256>`. One host only, or a shared mount."""

    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, sha256: str) -> Path:
        return self.folder / sha256[:2] / sha256

    def put(self, sha256: str, content: bytes, now: datetime) -> None:
        _record(sha256, len(content), None, now)  # first: waits for a purge deleting this digest to end
        path = self.path(sha256)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{secrets.token_hex(4)}.part")
            temporary.write_bytes(content)
            os.replace(temporary, path)  # whole or not at all, even with two uploads of the same file at once

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def forget(self, digests: Sequence[str]) -> None:
        for sha256 in digests:
            self.path(sha256).unlink(missing_ok=True)


class DatabaseStore:
    """The database: backed up with it, committed with the draft or case that names the file, shared by every host."""

    def put(self, sha256: str, content: bytes, now: datetime) -> None:
        _record(sha256, len(content), content, now)

    def read(self, sha256: str) -> bytes:
        content = db.session.scalar(select(AttachmentContent.content).where(AttachmentContent.sha256 == sha256))
        if content is None:
            raise FileNotFoundError(sha256)
        return content

    def forget(self, digests: Sequence[str]) -> None:
        """Nothing beyond the rows."""


def file_store(settings: Mapping[str, Any]) -> FileStore:
    """The store ATTACHMENT_STORE names (config.py refuses to start with any other value)."""
    if settings["ATTACHMENT_STORE"] == "database":
        return DatabaseStore()
    return LocalStore(Path(settings["ATTACHMENTS_DIR"]))


def _record(sha256: str, size: int, content: bytes | None, now: datetime) -> None:
    """Insert the digest's row or, when it exists, set its time (and its content if it has none: a file first
    stored in the folder, sent again after a switch to the database store). The update locks the row until the
    caller commits, so a purge running meanwhile spares it."""
    stmt = _insert(AttachmentContent).values(sha256=sha256, size=size, content=content, stored_at=now)
    db.session.execute(stmt.on_conflict_do_update(index_elements=["sha256"], set_={
        "stored_at": stmt.excluded.stored_at,
        "content": func.coalesce(AttachmentContent.content, stmt.excluded.content)}))


KEPT_FOR = timedelta(hours=24)
"""The purge spares a content stored within this time: longer than any request that names it takes to commit."""


def purge_orphans(store: FileStore, now: datetime, kept_for: timedelta = KEPT_FOR) -> int:
    """Delete the contents no attachment row names (drafts expired or deleted; rows of uploads that belong to
    nothing go first) and not stored within `kept_for`; return how many. Safe while the app serves.

    An upload of the same content meanwhile sets the row's time under a row lock before it names the digest:
    if it came first, the delete waits for it and then finds the time too recent; if the delete came first, the
    upload waits for it and then stores the content anew. On SQLite every writer waits for the other anyway.
    """
    cutoff = now - kept_for
    db.session.execute(delete(Attachment).where(Attachment.draft_id.is_(None), Attachment.submission_id.is_(None),
                                                Attachment.event_id.is_(None), Attachment.created_at < cutoff))
    named = exists().where(Attachment.sha256 == AttachmentContent.sha256)
    gone = list(db.session.scalars(delete(AttachmentContent).where(AttachmentContent.stored_at < cutoff, ~named)
                                   .returning(AttachmentContent.sha256)))
    store.forget(gone)  # while the rows stay locked: an upload of one of them waits, then writes it again
    db.session.commit()
    return len(gone)
