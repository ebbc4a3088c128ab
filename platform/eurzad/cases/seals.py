"""Seals of the case chains' heads (issue 10): once a day the office signs the heads of the chains that changed
since its last seal, each seal chained to the one before, so that a deleted tail of a case log, which leaves a
chain that holds on its own, no longer holds the head a seal has for it."""
from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from cryptography import x509
from sqlalchemy import func, insert, select, text

from ..canonical import canonical_json
from ..extensions import db
from ..signatures.keys import SigningKey, verify_signature
from .log import iso, stored_time
from .models import CaseEvent, ChainSeal, ChainSealHead

FIRST = "0" * 64
"""What the first seal follows in place of a seal before it."""
BATCH = 1000


class Signer(Protocol):
    """What signs a seal's digest and checks the signature again: the seam for the office's signing key."""

    def sign(self, digest: bytes) -> tuple[str, str]:
        """The key's id and the signature of the digest, in base64."""

    def verify(self, key_id: str, digest: bytes, signature: str) -> bool:
        """Whether `signature` is this office's signature of the digest by the key `key_id`."""


@dataclass(frozen=True)
class OfficeKeySigner:
    """The office's signing key (signatures/keys.py), checked by its published certificates: anyone holding them
    can check a seal, not only the office."""

    key: SigningKey
    certificates: Mapping[str, x509.Certificate]

    def sign(self, digest: bytes) -> tuple[str, str]:
        return self.key.key_id, base64.b64encode(self.key.sign(digest)).decode("ascii")

    def verify(self, key_id: str, digest: bytes, signature: str) -> bool:
        certificate = self.certificates.get(key_id)
        return certificate is not None and verify_signature(certificate, digest, signature)


def office_signer() -> Signer:
    """The key the office seals with, and every certificate it ever signed with to check its seals by."""
    from ..receipts.operations import office_certificates, office_key  # receipts build on the cases
    return OfficeKeySigner(office_key(), office_certificates())


def head_line(case_id: int, head: str, count: int) -> bytes:
    """One case's sealed head as its seal hashes it: a line of canonical JSON."""
    return canonical_json({"case": case_id, "head": head, "count": count}) + b"\n"


def seal_digest(previous: str, made_at: datetime, last_event_id: int, heads_sha256: str, heads: int) -> str:
    """The SHA-256 of a seal: of the canonical JSON of the digest of the seal before, when it was made, the
    last event it covers and the SHA-256 of its heads' lines (in case order) with how many there are."""
    content = {"previous": previous, "made_at": iso(made_at), "last_event_id": last_event_id,
               "heads": heads_sha256, "count": heads}
    return hashlib.sha256(canonical_json(content)).hexdigest()


def make_seal(signer: Signer, now: datetime) -> ChainSeal:
    """Seal the heads of the cases whose log grew since the last seal, chained to it and signed; the caller
    commits. Appends wait meanwhile on PostgreSQL (SQLite has one writer anyway), so that no event with a
    lower id than the last one sealed can commit after it; a seal made at the same time is refused by the
    unique `previous`. Memory grows with the cases changed since the last seal, not with all of them."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("LOCK TABLE case_events IN SHARE ROW EXCLUSIVE MODE"))
    last = db.session.scalar(select(ChainSeal).order_by(ChainSeal.id.desc()).limit(1))
    since = last.last_event_id if last else 0
    upto = db.session.scalar(select(func.max(CaseEvent.id))) or 0
    changed = list(db.session.scalars(select(CaseEvent.case_id).distinct()
                                      .where(CaseEvent.id > since, CaseEvent.id <= upto).order_by(CaseEvent.case_id)))
    heads: list[dict[str, Any]] = []
    for start in range(0, len(changed), BATCH):
        counted = db.session.execute(
            select(CaseEvent.case_id, func.max(CaseEvent.id), func.count())
            .where(CaseEvent.case_id.in_(changed[start:start + BATCH]), CaseEvent.id <= upto)
            .group_by(CaseEvent.case_id).order_by(CaseEvent.case_id)).all()
        digests = dict(db.session.execute(select(CaseEvent.id, CaseEvent.sha256)
                                          .where(CaseEvent.id.in_([last_id for _case, last_id, _n in counted]))).all())
        heads += [{"case_id": case_id, "head": digests[last_id], "count": n} for case_id, last_id, n in counted]
    hasher = hashlib.sha256()
    for head in heads:
        hasher.update(head_line(head["case_id"], head["head"], head["count"]))
    seal = ChainSeal(made_at=stored_time(now), last_event_id=upto, previous=last.digest if last else FIRST,
                     heads_sha256=hasher.hexdigest(), heads=len(heads))
    seal.digest = seal_digest(seal.previous, seal.made_at, upto, seal.heads_sha256, seal.heads)
    seal.key_id, seal.signature = signer.sign(bytes.fromhex(seal.digest))
    db.session.add(seal)
    db.session.flush()
    for start in range(0, len(heads), BATCH):
        db.session.execute(insert(ChainSealHead), [{"seal_id": seal.id, **head} for head in heads[start:start + BATCH]])
    return seal


def check_seals(signer: Signer) -> tuple[set[int], list[str]]:
    """Every seal in order, each checked against its digest, its signature and the seal before it: the ids of
    the seals that hold (their heads can be trusted) and a sentence for each that does not."""
    good, problems, before = set(), [], (None, FIRST)
    for seal in db.session.execute(select(ChainSeal.id, ChainSeal.made_at, ChainSeal.last_event_id,
                                          ChainSeal.previous, ChainSeal.heads_sha256, ChainSeal.heads,
                                          ChainSeal.digest, ChainSeal.signature, ChainSeal.key_id)
                                   .order_by(ChainSeal.id)).all():
        name = f"the seal of {seal.made_at:%Y-%m-%d} (seal {seal.id})"
        heads_sha256, heads = _heads_digest(seal.id)
        if seal.previous != before[1] and before[0] is None:
            problems.append(f"{name}: it is the first seal kept, yet it follows another: the seals before it "
                            "were removed")
        elif seal.previous != before[1]:
            problems.append(f"{name}: the seal before it is missing or was changed (its previous digest does not "
                            f"match seal {before[0]})")
        if (heads_sha256, heads) != (seal.heads_sha256, seal.heads) or seal.digest != seal_digest(
                seal.previous, seal.made_at, seal.last_event_id, seal.heads_sha256, seal.heads):
            problems.append(f"{name} was changed: its content does not match its digest")
        elif not signer.verify(seal.key_id, bytes.fromhex(seal.digest), seal.signature):
            problems.append(f"{name}: its signature does not verify (key {seal.key_id})")
        else:
            good.add(seal.id)
        before = (seal.id, seal.digest)
    return good, problems


def _heads_digest(seal_id: int) -> tuple[str, int]:
    """The SHA-256 of a seal's heads as stored, and how many, read in batches."""
    hasher, count, after = hashlib.sha256(), 0, 0
    while rows := db.session.execute(
            select(ChainSealHead.case_id, ChainSealHead.head, ChainSealHead.count)
            .where(ChainSealHead.seal_id == seal_id, ChainSealHead.case_id > after)
            .order_by(ChainSealHead.case_id).limit(BATCH * 5)).all():
        for row in rows:
            hasher.update(head_line(*row))
        count, after = count + len(rows), rows[-1].case_id
    return hasher.hexdigest(), count
