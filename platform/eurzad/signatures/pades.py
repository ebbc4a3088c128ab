"""The office's PDF signature (PAdES baseline B: ETSI.CAdES.detached, RSA-SHA256) with files embedded, and its check.

What `pdfsig` shows as "Signature is Valid" and "Total document signed", done in Python with pyHanko: signed with
the key already loaded (never read from its file per call), checked against the office's published certificates
only — never a certificate the PDF brings along alone, never a network fetch — and only when the signature covers
the whole file, so that nothing appended after signing (an incremental update) passes as the office's.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from io import BytesIO
from typing import Any, TypeVar

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from pyhanko.pdf_utils import embed, generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature, async_validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .keys import SigningKey, fingerprint
from .xmldsig import SignatureError

DIGEST = "sha256"
T = TypeVar("T")


class _LoadedKeySigner(signers.SimpleSigner):
    """pyHanko's in-memory signer, signing with the key object already loaded: its own would parse (and check)
    the RSA key anew for every signature, ~100 ms each."""

    def __init__(self, key: SigningKey) -> None:
        certificate = _asn1_certificate(key.certificate)
        private_key = asn1_keys.PrivateKeyInfo.load(key.private_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        super().__init__(signing_cert=certificate, signing_key=private_key,
                         cert_registry=SimpleCertificateStore.from_certs([certificate]))
        self._key = key.private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if not isinstance(self._key, RSAPrivateKey) or mechanism != "rsassa_pkcs1v15":
            return super().sign_raw(data, digest_algorithm)  # not the office's kind of key: pyHanko's own way
        return self._key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))


@lru_cache(maxsize=8)
def _signer(key: SigningKey) -> _LoadedKeySigner:
    return _LoadedKeySigner(key)


def _asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def sign_pdf(data: bytes, key: SigningKey, attachments: Mapping[str, tuple[bytes, str]]) -> bytes:
    """The PDF with `attachments` ({name: (bytes, MIME type)}) embedded and the office's PAdES signature over
    all of it (the whole file but the signature itself)."""
    writer = IncrementalPdfFileWriter(BytesIO(data))
    for name, (content, mime_type) in attachments.items():
        # Stored as is (a receipt's XML is mostly base64, which does not compress): readable by any text tool.
        stream = embed.EmbeddedFileObject.from_file_data(writer, content, compress=False, mime_type=mime_type)
        embed.embed_file(writer, embed.FileSpec(file_spec_string=name, file_name=name, embedded_data=stream))
    metadata = signers.PdfSignatureMetadata(field_name=f"Signature{len(writer.prev.embedded_signatures) + 1}",
                                          md_algorithm=DIGEST, subfilter=SigSeedSubFilter.PADES)
    signed: BytesIO = _run(lambda: signers.async_sign_pdf(writer, metadata, signer=_signer(key)))
    return signed.getvalue()


def verify_pdf(data: bytes, certificates: Mapping[str, x509.Certificate]) -> tuple[str, dict[str, bytes]]:
    """Check a signed PDF against the office's certificates (by key id): the signing key's id and the files the
    signed PDF embeds ({name: bytes}); SignatureError says in plain words what does not hold."""
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        found = reader.embedded_signatures
    except Exception as exc:  # whatever a broken or hostile file makes the parser raise
        raise SignatureError(f"not a readable PDF: {exc or type(exc).__name__}") from None
    if len(found) != 1:
        raise SignatureError("the PDF is not signed" if not found else
                             f"the PDF carries {len(found)} signatures, the office's receipts carry one")
    signature = found[0]
    try:
        signed_by = signature.signer_cert.sha256.hex()
    except Exception as exc:  # a signature that does not parse as CMS
        raise SignatureError(f"the signature cannot be read: {exc or type(exc).__name__}") from None
    key_id = next((kid for kid, cert in certificates.items() if fingerprint(cert) == signed_by), None)
    if key_id is None:
        raise SignatureError("signed with a certificate that is not one of the office's")
    context = ValidationContext(trust_roots=[_asn1_certificate(certificates[key_id])], allow_fetching=False)
    try:
        status = _run(lambda: _validate(signature, context))
    except Exception as exc:  # pyHanko raises for a signature it cannot evaluate
        raise SignatureError(f"the signature cannot be checked: {exc or type(exc).__name__}") from None
    if not status.intact:
        raise SignatureError("the PDF was changed after it was signed: its content does not match the signature")
    if not status.valid:
        raise SignatureError("the signature does not match the office's certificate")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        raise SignatureError("the PDF was changed after it was signed: something was added after its signature")
    if not status.bottom_line:
        raise SignatureError(f"the signature does not hold: {status.summary()}")
    return key_id, _embedded_files(reader, signature.signed_revision)


async def _validate(signature: EmbeddedPdfSignature, context: ValidationContext) -> PdfSignatureStatus:
    """The signature's status (no analysis of later updates: nothing may follow the signature at all)."""
    try:
        return await async_validate_pdf_signature(signature, signer_validation_context=context, skip_diff=True)
    finally:
        await context.aclose()


def _run(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run one of pyHanko's coroutines to its end from plain code, also where this thread already runs an event
    loop (pyHanko's own blocking wrappers call asyncio.run, which refuses there): then in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


def _embedded_files(reader: PdfFileReader, revision: int) -> dict[str, bytes]:
    """The files embedded in a revision of the document (its catalogue's flat EmbeddedFiles name tree)."""
    try:
        names = reader.get_historical_root(revision).get("/Names")
        tree = names.get_object().get("/EmbeddedFiles") if names is not None else None
        listed = tree.get_object().get("/Names") if tree is not None else None
        pairs = list(listed.get_object()) if listed is not None else []
        files = {}
        for name, spec in zip(pairs[::2], pairs[1::2], strict=True):
            stream = spec.get_object()["/EF"].get_object()["/F"].get_object()
            files[str(name)] = stream.data if isinstance(stream, generic.StreamObject) else b""
        return files
    except Exception as exc:  # a malformed name tree, though under the office's own signature
        raise SignatureError(f"the files inside the PDF cannot be read: {exc or type(exc).__name__}") from None
