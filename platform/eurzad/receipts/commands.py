"""`eurzad keys …` (the office's signing keys) and `eurzad receipts verify` (offline, with published certificates)."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from ..signatures import keys
from ..timeutil import utcnow


@click.group("keys")
def keys_group() -> None:
    """The office's signing keys (instance/keys): receipts and the case log's seals are signed with them."""


def _folder() -> Path:
    from .operations import keys_folder
    return keys_folder()


def make_first_key() -> str | None:
    """For `eurzad init`: a key and a self-signed certificate when the keyring has none; the new key's id."""
    from ..extensions import db, registry
    from .operations import office_key
    folder = _folder()
    if (folder / keys.CURRENT).exists():
        office_key()  # its certificate in this database too (a database made anew)
        db.session.commit()
        return None
    office = registry().workflows.office
    key = keys.create(folder, office.name.pl, office.identifier, utcnow())
    office_key()
    db.session.commit()
    return key.key_id


@keys_group.command("rotate")
@with_appcontext
def rotate_command() -> None:
    """Start signing with a new key; the old certificates stay published, so old receipts still verify."""
    from ..extensions import db, registry
    from .operations import office_key
    office = registry().workflows.office
    key = keys.create(_folder(), office.name.pl, office.identifier, utcnow())
    office_key()
    db.session.commit()
    click.echo(f"Now signing with key {key.key_id}; {len(keys.certificates(_folder()))} certificate(s) published.")


@keys_group.command("import")
@click.argument("pkcs12", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--password-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A file holding the PKCS#12 password (never on the command line).")
@with_appcontext
def import_command(pkcs12: Path, password_file: Path | None) -> None:
    """Sign with the office's own key and certificate from a PKCS#12 file (e.g. a qualified e-seal)."""
    from ..extensions import db
    from .operations import office_key
    password = password_file.read_bytes().rstrip(b"\r\n") if password_file else None
    try:
        key = keys.import_pkcs12(_folder(), pkcs12.read_bytes(), password)
    except keys.KeyringError as exc:
        raise click.ClickException(str(exc)) from None
    office_key()
    db.session.commit()
    click.echo(f"Now signing with key {key.key_id}: {key.certificate.subject.rfc4514_string()}")


@keys_group.command("list")
@with_appcontext
def list_command() -> None:
    """Every certificate the office signed with, the current one marked."""
    from .operations import office_certificates
    current = keys.current(_folder()).key_id if (_folder() / keys.CURRENT).exists() else None
    for key_id, certificate in office_certificates().items():
        mark = "*" if key_id == current else " "
        click.echo(f"{mark} {key_id}  {keys.fingerprint(certificate)}  until {certificate.not_valid_after_utc:%Y-%m-%d}"
                   f"  {certificate.subject.rfc4514_string()}")


@click.group("receipts")
def receipts_group() -> None:
    """Signed receipts (UPP, UPD)."""


@receipts_group.command("verify", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("receipt", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--certificates", "certificates_file", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The office's published certificates (PEM; the bundle from /receipts/certificates.pem).")
def verify_command(receipt: Path, certificates_file: Path) -> None:
    """Check a receipt (XML or PDF) offline against the office's published certificates; exit 0 when valid."""
    from .operations import verify_file
    published = {keys.key_id_of(cert): cert for cert in keys.load_certificates(certificates_file.read_bytes())}
    if not published:
        raise click.UsageError(f"{certificates_file} holds no PEM certificate")
    outcome = verify_file(receipt.read_bytes(), published)
    click.echo(outcome.summary())
    sys.exit(0 if outcome.valid else 1)
