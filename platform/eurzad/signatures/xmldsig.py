"""The office's XML signature (XMLDSig, enveloped, RSA-SHA256, exclusive C14N) and its check.

What `xmlsec1 --verify --trusted-pem office.pem receipt.xml` checks, done in Python: made in the request
(~2 ms with a loaded key), checked against the office's published certificates only — never a certificate
the document brings along alone, never a network fetch. The XML is read by a parser that expands no entity
and loads no DTD.
"""
from __future__ import annotations

from base64 import b64decode
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from lxml import etree
from signxml import DigestAlgorithm, SignatureConfiguration, SignatureMethod, XMLSigner, XMLVerifier, methods
from signxml.exceptions import SignXMLException

from .keys import SigningKey, fingerprint

EXCLUSIVE_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
EXPECTED = SignatureConfiguration(require_x509=True, location="./", expect_references=1,
                                  signature_methods=frozenset({SignatureMethod.RSA_SHA256}),
                                  digest_algorithms=frozenset({DigestAlgorithm.SHA256}))
"""One enveloped signature of the root, by the office's algorithms only (no HMAC, no weaker digest)."""


DS = "http://www.w3.org/2000/09/xmldsig#"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                         remove_blank_text=True)
"""Never expands an entity, reads a DTD or fetches anything: an XML bomb or an external entity stays inert."""


class SignatureError(Exception):
    """The document is not one the office signed, or not as it was signed; the message says which, the code
    (for pages in both languages) what kind: unreadable, unsigned, foreign (another key), changed."""

    def __init__(self, message: str, code: str = "changed"):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class VerifiedDocument:
    """A document whose signature holds: who signed (key id) and what the signature covers."""

    key_id: str
    root: etree._Element  # only what the signature covers (never the unsigned rest of the file)


def parse(data: bytes) -> etree._Element:
    """Read XML safely (see PARSER); SignatureError if it is not well-formed XML."""
    try:
        return etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as exc:
        raise SignatureError(f"not well-formed XML: {exc}", "unreadable") from None


def sign(root: etree._Element, key: SigningKey) -> bytes:
    """The document with the office's enveloped signature (and certificate) in it, as UTF-8 XML bytes."""
    signer = XMLSigner(method=methods.enveloped, signature_algorithm="rsa-sha256", digest_algorithm="sha256",
                       c14n_algorithm=EXCLUSIVE_C14N)
    signed = signer.sign(root, key=key.private_key, cert=key.certificate_pem)
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


def verify(data: bytes, certificates: Mapping[str, x509.Certificate]) -> VerifiedDocument:
    """Check a signed document against the office's certificates (by key id); SignatureError says what failed."""
    root = parse(data)
    signed_with = _certificate_in(root)
    key_id = next((kid for kid, cert in certificates.items() if fingerprint(cert) == fingerprint(signed_with)),
                  None)
    if key_id is None:
        raise SignatureError("signed with a certificate that is not one of the office's", "foreign")
    pem = certificates[key_id].public_bytes(serialization.Encoding.PEM).decode()
    try:
        result = XMLVerifier().verify(data, x509_cert=pem, expect_config=EXPECTED)
    except (SignXMLException, etree.DocumentInvalid, ValueError) as exc:  # a damaged value, a changed byte
        raise SignatureError(f"the signature does not match the document: {exc}") from None
    except etree.LxmlError as exc:
        raise SignatureError(f"not well-formed XML: {exc}", "unreadable") from None
    return VerifiedDocument(key_id, result.signed_xml)


def _certificate_in(root: etree._Element) -> x509.Certificate:
    found = root.findall(f"./{{{DS}}}Signature/{{{DS}}}KeyInfo/{{{DS}}}X509Data/{{{DS}}}X509Certificate")
    if len(found) != 1:
        raise SignatureError("not signed: the document has no signature with a certificate", "unsigned")
    try:
        return x509.load_der_x509_certificate(b64decode("".join((found[0].text or "").split())))
    except ValueError:
        raise SignatureError("the certificate in the signature cannot be read", "unsigned") from None
