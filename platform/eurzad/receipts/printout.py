"""The receipt for people: an A4 PDF in the citizen's language, signed as PAdES (decision 0035)."""
from __future__ import annotations

from collections.abc import Mapping

from cryptography import x509

from ..signatures.xmldsig import SignatureError


def signed_xml_of(data: bytes, certificates: Mapping[str, x509.Certificate]) -> bytes:
    """The signed receipt XML a PDF receipt carries, once the PDF's own signature holds."""
    raise SignatureError("PDF receipts cannot be checked yet")  # TODO(pdf): being built
