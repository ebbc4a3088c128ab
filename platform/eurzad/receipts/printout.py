"""The receipt for people: an A4 PDF in the citizen's language, signed as PAdES (decision 0035)."""
from __future__ import annotations

from collections.abc import Mapping

from cryptography import x509

from ..engine.workflows import Office
from ..signatures.keys import SigningKey
from ..signatures.xmldsig import SignatureError
from .models import Receipt


def render(receipt: Receipt, office: Office, verify_url: str, key: SigningKey) -> bytes:
    """The receipt as a signed PDF: the letterhead, what the receipt attests in the receipt's language, a QR code
    of `verify_url`, the signed XML inside (upo.xml), the office's PAdES signature over all of it."""
    raise NotImplementedError("TODO(pdf): being built")


def signed_xml_of(data: bytes, certificates: Mapping[str, x509.Certificate]) -> bytes:
    """The signed receipt XML a PDF receipt carries, once the PDF's own signature holds."""
    raise SignatureError("PDF receipts cannot be checked yet")  # TODO(pdf): being built
