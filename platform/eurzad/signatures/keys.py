"""The office's signing keys: a keyring folder (instance/keys) of private keys and their certificates.

Each key has an id (the day it was made and the start of its certificate's SHA-256 fingerprint). The file
`current` names the key that signs; `rotate` starts a new one and keeps every old certificate, so that old
receipts still verify. A key comes from `create` (a self-signed certificate) or from the office's own
PKCS#12 file (`import_pkcs12`: the seam for a qualified e-seal). Private keys are readable by their owner
only and live outside git (instance/ is ignored).
"""
from __future__ import annotations

import hashlib
import os
from base64 import b64decode
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

CURRENT = "current"
KEY_SIZE = 3072  # RSA: what xmlsec1, poppler's pdfsig and every PDF reader check; ~2 ms to sign
CERTIFICATE_YEARS = 10


class KeyringError(Exception):
    """The keyring cannot sign: no key yet, or a file that is not what it should be. The message says what to do."""


@dataclass(frozen=True)
class SigningKey:
    """A key that signs, with its certificate (PEM) and id."""

    key_id: str
    private_key: PrivateKeyTypes
    certificate: x509.Certificate

    @property
    def certificate_pem(self) -> str:
        return pem(self.certificate)

    def sign(self, data: bytes) -> bytes:
        """A detached RSA-SHA256 (PKCS#1 v1.5) signature of `data`, as `openssl dgst -sha256 -verify` checks it."""
        return self.private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())  # type: ignore[union-attr,call-arg]

    @property
    def private_key_pem(self) -> bytes:
        return self.private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption())


def pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 of the certificate (DER), in hex: what the verification page and `openssl x509 -fingerprint` show."""
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def key_id_of(certificate: x509.Certificate) -> str:
    return f"{certificate.not_valid_before_utc:%Y-%m-%d}-{fingerprint(certificate)[:12]}"


def create(folder: Path, office_name: str, office_identifier: str, now: datetime) -> SigningKey:
    """A new RSA key and a self-signed certificate naming the office; it becomes the current key."""
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "PL"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, office_name[:64]),
        x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, office_identifier[:64] or "-"),
        x509.NameAttribute(NameOID.COMMON_NAME, f"{office_name} — e-urząd"[:64]),
    ])
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=365 * CERTIFICATE_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(private_key.public_key()), critical=False)
        .sign(private_key, hashes.SHA256()))
    return _keep(folder, SigningKey(key_id_of(certificate), private_key, certificate))


def import_pkcs12(folder: Path, data: bytes, password: bytes | None) -> SigningKey:
    """The office's own key and certificate (e.g. a qualified e-seal exported as .p12); it becomes current."""
    try:
        private_key, certificate, _chain = pkcs12.load_key_and_certificates(data, password)
    except ValueError as exc:
        raise KeyringError(f"Cannot read the PKCS#12 file: {exc} (is the password right?)") from None
    if private_key is None or certificate is None:
        raise KeyringError("The PKCS#12 file must hold a private key and its certificate")
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise KeyringError("The key must be an RSA key: receipts are signed with RSA-SHA256")
    return _keep(folder, SigningKey(key_id_of(certificate), private_key, certificate))


def _keep(folder: Path, key: SigningKey) -> SigningKey:
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    private = folder / f"{key.key_id}.key.pem"
    descriptor = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # never readable by others
    with os.fdopen(descriptor, "wb") as file:
        file.write(key.private_key_pem)
    (folder / f"{key.key_id}.crt.pem").write_text(key.certificate_pem, encoding="ascii")
    _write_current(folder, key.key_id)
    return key


def _write_current(folder: Path, key_id: str) -> None:
    temporary = folder / f"{CURRENT}.part"
    temporary.write_text(key_id + "\n", encoding="ascii")
    os.replace(temporary, folder / CURRENT)


def current(folder: Path) -> SigningKey:
    """The key that signs now (loaded once per process and key: loading an RSA key costs ~100 ms)."""
    try:
        key_id = (folder / CURRENT).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise KeyringError(f"No signing key in {folder}: run `eurzad init` (or `eurzad keys import`)") from None
    return _load(folder, key_id)


@lru_cache(maxsize=8)
def _load(folder: Path, key_id: str) -> SigningKey:
    try:
        private_key = serialization.load_pem_private_key((folder / f"{key_id}.key.pem").read_bytes(), None)
        certificate = x509.load_pem_x509_certificate((folder / f"{key_id}.crt.pem").read_bytes())
    except (OSError, ValueError) as exc:
        raise KeyringError(f"The signing key {key_id} in {folder} cannot be read: {exc}") from None
    return SigningKey(key_id, private_key, certificate)


def certificates(folder: Path) -> dict[str, x509.Certificate]:
    """Every certificate the keyring ever held, by key id: the current and the rotated ones."""
    found = {}
    for path in sorted(folder.glob("*.crt.pem")):
        certificate = x509.load_pem_x509_certificate(path.read_bytes())
        found[path.name.removesuffix(".crt.pem")] = certificate
    return found


def load_certificates(pem: bytes) -> list[x509.Certificate]:
    """The certificates in a PEM file (one or a bundle, as the certificates page publishes them)."""
    try:
        return x509.load_pem_x509_certificates(pem)
    except ValueError:
        return []


def verify_signature(certificate: x509.Certificate, data: bytes, signature_b64: str) -> bool:
    """Whether a detached RSA-SHA256 signature (base64) of `data` was made by the certificate's key."""
    try:
        certificate.public_key().verify(b64decode(signature_b64, validate=True), data,  # type: ignore[union-attr,call-arg]
                                        padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
