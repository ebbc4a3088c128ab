"""Attached files: which kinds a field takes, how big, and what a file really is (by its content)."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import filetype

# Kinds a definition may allow, by the names administrators use; the type is read from the content.
KINDS = {
    "pdf": ("application/pdf", ".pdf"),
    "jpeg": ("image/jpeg", ".jpg"),
    "png": ("image/png", ".png"),
    "heic": ("image/heic", ".heic"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "odt": ("application/vnd.oasis.opendocument.text", ".odt"),
}
DEFAULT_KINDS = ("pdf", "jpeg", "png")
DEFAULT_MAX_MB = 5
LIMIT_MB = 10  # no field takes more: the request size limit is set above this
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class Chosen:
    """A file as the browser sent it, not yet checked."""

    name: str
    content: bytes


@dataclass(frozen=True)
class Upload:
    """A file that passed the checks, ready to store."""

    name: str
    content_type: str
    size: int
    sha256: str


class UploadRefusedError(Exception):
    """Why a file was refused, as a message keyword (`file_empty`, `file_size` or `file_type`), and the
    limit it broke (the kinds taken, or the size in MB) for the message to name."""

    def __init__(self, keyword: str, limit: Any = None):
        super().__init__(keyword)
        self.keyword, self.limit = keyword, limit


def check_upload(content: bytes, filename: str, kinds: tuple[str, ...], max_mb: int) -> Upload:
    """Accept a file if its content is one of `kinds` and it is no bigger than `max_mb`."""
    if not content:
        raise UploadRefusedError("file_empty")
    if len(content) > max_mb * 1024 * 1024:
        raise UploadRefusedError("file_size", max_mb)
    mime = filetype.guess_mime(content[:SNIFF_BYTES])
    allowed = {KINDS[kind][0]: KINDS[kind][1] for kind in kinds}
    if mime not in allowed:
        raise UploadRefusedError("file_type", kinds)
    return Upload(safe_name(filename, allowed[mime]), mime, len(content), hashlib.sha256(content).hexdigest())


def safe_name(filename: str, extension: str) -> str:
    """The file's own name without any folder, control or reserved characters, ending in the
    extension of what it really is; Polish letters stay."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", filename or ""))[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C" and ch not in '<>:"|?*')
    stem = " ".join(base.rsplit(".", 1)[0].split()).strip(" .")[:100] or "plik"
    return stem + extension


def accepted(kinds: tuple[str, ...]) -> str:
    """The `accept` attribute of the file input: extensions and types the browser may offer."""
    return ",".join(part for kind in kinds for part in (KINDS[kind][1], KINDS[kind][0]))
