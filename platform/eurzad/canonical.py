"""The canonical forms that digests and signatures are taken over (decisions 0004 and 0035)."""
from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import rfc8785


def canonical_json(data: Any) -> bytes:
    """RFC 8785 (JSON Canonicalization Scheme): sorted keys, no spaces, UTF-8, ECMAScript numbers."""
    return rfc8785.dumps(data)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def moment(value: datetime) -> str:
    """A stored UTC timestamp (naive, microseconds) as ISO 8601 with a Z: one spelling in every digest."""
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
