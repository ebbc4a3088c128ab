"""Issuing receipts in the transaction of what they attest, and the office's certificates behind them.

A receipt's XML is signed in the request that files (or delivers): ~2 ms. The PDF for people is made on its
first download and kept (printout.py); the XML it embeds is the one signed here.
"""
from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from flask import current_app, has_request_context
from sqlalchemy import select, update

from ..canonical import canonical_json, moment, sha256_hex
from ..cases.models import Attachment, Case, CaseEvent, Submission
from ..engine.workflows import WorkflowConfig
from ..extensions import db, registry
from ..signatures import keys
from ..signatures.xmldsig import SignatureError, sign, verify
from .document import NotAReceiptError, content_of, to_xml
from .models import OfficeCertificate, Receipt


def keys_folder() -> Path:
    return Path(current_app.config["SIGNING_KEYS_DIR"])


def office_key() -> keys.SigningKey:
    """The key that signs now, its certificate registered in the database (every host publishes it)."""
    key = keys.current(keys_folder())
    register(key.certificate)  # one primary-key lookup: a new key, or a database made anew, gets it
    return key


def register(certificate: x509.Certificate) -> None:
    """Keep a certificate the office signs with in the database, once (old ones stay for old receipts)."""
    key_id = keys.key_id_of(certificate)
    if db.session.get(OfficeCertificate, key_id) is None:
        db.session.add(OfficeCertificate(
            key_id=key_id, pem=keys.pem(certificate),
            fingerprint=keys.fingerprint(certificate), subject=certificate.subject.rfc4514_string()[:400],
            not_before=certificate.not_valid_before_utc.replace(tzinfo=None),
            not_after=certificate.not_valid_after_utc.replace(tzinfo=None)))
        db.session.flush()


def office_certificates() -> dict[str, x509.Certificate]:
    """Every certificate the office ever signed with, by key id: what verifies a receipt."""
    rows = db.session.scalars(select(OfficeCertificate).order_by(OfficeCertificate.added_at))
    return {row.key_id: x509.load_pem_x509_certificate(row.pem.encode()) for row in rows}


def issue_upp(case: Case, submission: Submission, workflows: WorkflowConfig, sender_name: str | None,
              now: datetime) -> Receipt:
    """The receipt of a filing or a supplement (urzędowe poświadczenie przedłożenia); the caller commits."""
    locale, department = submission.locale, workflows.departments.get(case.department)
    content = {
        "kind": "UPP",
        "receipt_id": str(uuid.uuid4()),
        "made_at": moment(now),
        "office": {"name": workflows.office.name.get(locale), "identifier": workflows.office.identifier},
        "sender": {"name": sender_name, "account": submission.submitter_id,
                   "identified_by": submission.identified_by},
        "addressee": {"name": department.name.get(locale) if department else case.department,
                      "identifier": case.department},
        "form": {"identifier": submission.form_id, "version": submission.form_version,
                 "definition_sha256": submission.definition_sha256},
        "document_id": f"P-{submission.id}",
        "case_number": case.number,
        "at": moment(submission.submitted_at),
        "data_sha256": submission.data_sha256,
        "attachments": files(submission.attachments),
    }
    return _issue(content, case, locale, now, submission_id=submission.id)


def issue_upd(case: Case, delivery: CaseEvent, step: CaseEvent, workflows: WorkflowConfig, now: datetime) -> Receipt:
    """The receipt of a delivery (urzędowe poświadczenie doręczenia): the applicant opened the office's step
    (its text and documents) at `delivery.at`; the caller commits."""
    submission = case.submission
    locale, department = submission.locale, workflows.departments.get(case.department)
    content = {
        "kind": "UPD",
        "receipt_id": str(uuid.uuid4()),
        "made_at": moment(now),
        "office": {"name": workflows.office.name.get(locale), "identifier": workflows.office.identifier},
        "sender": {"name": department.name.get(locale) if department else case.department, "account": None,
                   "identified_by": "office"},
        "addressee": {"name": submission.submitter.full_name if submission.submitter else submission.contact_email,
                      "identifier": str(submission.submitter_id or "")},
        "document_id": f"Z-{step.id}",
        "case_number": case.number,
        "step": str(step.details.get("step") or step.action),
        "at": moment(delivery.at),
        "data_sha256": sha256_hex(canonical_json(step.details)),
        "attachments": files(step.documents),
    }
    return _issue(content, case, locale, now, event_id=delivery.id)


def files(attachments: Sequence[Attachment]) -> list[dict[str, Any]]:
    """What a receipt says of each file: name, size, type and SHA-256, in the order they were attached."""
    return [{"name": row.name, "size": row.size, "type": row.content_type, "sha256": row.sha256}
            for row in attachments]


def _issue(content: dict[str, Any], case: Case, locale: str, now: datetime, **attests: Any) -> Receipt:
    key = office_key()
    body = canonical_json(content)
    receipt = Receipt(id=content["receipt_id"], kind=content["kind"], case_id=case.id, made_at=now, locale=locale,
                      key_id=key.key_id, content_json=body.decode(), content_sha256=sha256_hex(body),
                      xml=sign(to_xml(content), key), **attests)
    db.session.add(receipt)
    return receipt


def receipt_of(submission: Submission) -> Receipt | None:
    return db.session.scalar(select(Receipt).where(Receipt.submission_id == submission.id))


def delivery_receipts(case: Case) -> dict[int, Receipt]:
    """The case's delivery receipts by the id of their delivery's case-log entry."""
    rows = db.session.scalars(select(Receipt).where(Receipt.case_id == case.id, Receipt.kind == "UPD"))
    return {row.event_id: row for row in rows if row.event_id is not None}


@dataclass(frozen=True)
class Outcome:
    """Is it a receipt the office made, unchanged: valid or not, why not (`code` for pages: unreadable, unsigned,
    foreign, changed, unknown, mismatch), what a valid one attests, and whether the office's register holds it
    (None: not asked, as offline)."""

    valid: bool
    reason: str = ""
    code: str = ""
    key_id: str | None = None
    content: dict[str, Any] | None = None
    form: str = "XML"  # XML, PDF, or typed (a number and a digest)
    registered: bool | None = None

    def summary(self) -> str:
        """One line for the command line."""
        if not self.valid:
            return f"NOT VALID ({self.form}): {self.reason}"
        content = self.content or {}
        return (f"VALID ({self.form}): receipt {content.get('receipt_id')} ({content.get('kind')}) of case "
                f"{content.get('case_number')}, made {content.get('made_at')}, signed with key {self.key_id}; "
                f"document SHA-256 {content.get('data_sha256')}")


def verify_file(data: bytes, certificates: Mapping[str, x509.Certificate]) -> Outcome:
    """Check a receipt file — the signed XML, or the signed PDF that carries it — against the office's
    certificates (by key id). What it attests is read from what the signature covers, never from the rest."""
    form = "PDF" if data.lstrip()[:5] == b"%PDF-" else "XML"
    try:
        if form == "PDF":
            from .printout import signed_xml_of  # reportlab and pyHanko load only when a PDF is met
            data = signed_xml_of(data, certificates)
        verified = verify(data, certificates)
        return Outcome(True, key_id=verified.key_id, content=content_of(verified.root), form=form)
    except SignatureError as exc:
        return Outcome(False, str(exc), exc.code, form=form)
    except NotAReceiptError as exc:
        return Outcome(False, str(exc), "unreadable", form=form)


def verify_in_register(outcome: Outcome) -> Outcome:
    """A valid file, compared with the office's register: the receipt of that number, with the same content."""
    if not outcome.valid or outcome.content is None:
        return outcome
    stored = db.session.get(Receipt, str(outcome.content.get("receipt_id"))[:36])
    same = stored is not None and stored.content_sha256 == sha256_hex(canonical_json(outcome.content))
    return replace(outcome, registered=same)


def check_typed(receipt_id: str, digest: str) -> Outcome:
    """A receipt's number and a digest printed on it (of the receipt, or of the document it attests)."""
    stored = db.session.get(Receipt, receipt_id)
    if stored is None:
        return Outcome(False, "the office has no receipt with this number", "unknown", form="typed")
    content = json.loads(stored.content_json)
    if digest not in (stored.content_sha256, content.get("data_sha256")):
        return Outcome(False, "the digest does not match the receipt with this number", "mismatch", form="typed")
    return Outcome(True, key_id=stored.key_id, content=content, form="typed", registered=True)


def pdf_of(receipt: Receipt) -> bytes:
    """The receipt's signed PDF: made on its first download and kept, so every later download is the same file
    (of two first downloads at once, the one stored first is the one both get)."""
    if receipt.pdf is None:
        from ..pages import site_url
        from .printout import render
        # The PDF names the site's pages: built in a request, or in the outbox worker with none.
        with nullcontext() if has_request_context() else current_app.test_request_context():
            made = render(receipt, registry().workflows.office, site_url("receipts.verify_receipt", id=receipt.id),
                          office_key())
        db.session.execute(update(Receipt).where(Receipt.id == receipt.id, Receipt.pdf.is_(None)).values(pdf=made))
        db.session.commit()
        db.session.refresh(receipt)
    return receipt.pdf  # type: ignore[return-value]


def signed_files(receipt_id: str) -> list[tuple[str, bytes, str]]:
    """A receipt's signed files to attach to an e-mail: (name, content, MIME subtype), the PDF first."""
    receipt = db.session.get(Receipt, receipt_id)
    if receipt is None:
        return []
    name = f"{receipt.kind.lower()}-{receipt.id}"
    return [(f"{name}.pdf", pdf_of(receipt), "pdf"), (f"{name}.xml", receipt.xml, "xml")]
