"""Signed receipts (XML) as a citizen downloads them and as anyone checks them: the page, xmlsec1, the CLI."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess

import pytest
from sqlalchemy import select

from eurzad.canonical import canonical_json
from eurzad.cases.models import CaseEvent, Submission
from eurzad.extensions import db
from eurzad.receipts.commands import verify_command
from eurzad.receipts.models import OfficeCertificate, Receipt
from eurzad.signatures import keys
from eurzad.timeutil import utcnow

from ..conftest import debian_tool
from .test_citizen_journey import VALID, send


def receipt_links(client, case_id: int) -> dict[str, str]:
    page = client.get(f"/cases/{case_id}/receipt").get_data(as_text=True)
    return dict(re.findall(r'href="(/cases/\d+/receipts/[0-9a-f-]{36}\.(xml|pdf))"', page)[i][::-1]
                for i in range(2))


def xml_receipt(client, case_id: int) -> bytes:
    response = client.get(receipt_links(client, case_id)["xml"])
    assert response.status_code == 200 and response.mimetype == "application/xml"
    return response.data


def certificates_pem(client) -> bytes:
    response = client.get("/receipts/certificates.pem")
    assert response.status_code == 200
    return response.data


def verify_page(client, data: bytes, name: str = "receipt.xml"):
    from io import BytesIO
    return client.submit_files("/receipts/verify", {"receipt": (BytesIO(data), name)})


def flip(data: bytes, at: int) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 0x01
    return bytes(changed)


def test_the_receipt_attests_the_filing_and_is_kept_with_the_case(app, citizen_client):
    case_id = send(citizen_client)
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        receipt = db.session.scalar(select(Receipt))
        first = db.session.scalar(select(CaseEvent).order_by(CaseEvent.id))
        content = json.loads(receipt.content_json)
        assert receipt.kind == "UPP" and receipt.submission_id == submission.id and receipt.case_id == case_id
        assert content["data_sha256"] == submission.data_sha256 and content["case_number"].startswith("OR.1431.")
        assert content["sender"] == {"name": submission.submitter.full_name, "account": submission.submitter_id,
                                     "identified_by": "account_unverified"}
        assert content["form"]["identifier"] == "public-information" and content["office"]["identifier"]
        assert receipt.content_sha256 == hashlib.sha256(canonical_json(content)).hexdigest()
        assert first.details["receipt"] == {"id": receipt.id, "sha256": receipt.content_sha256}


def test_the_citizen_downloads_the_xml_and_the_data_the_digest_was_computed_over(app, citizen_client):
    case_id = send(citizen_client)
    page = citizen_client.get(f"/cases/{case_id}/receipt").get_data(as_text=True)
    assert "Podpisane poświadczenie" in page
    xml = xml_receipt(citizen_client, case_id)
    assert b"<upo:ZnakSprawy>OR.1431." in xml and b"ds:Signature" in xml
    data = citizen_client.get(re.search(r'href="(/cases/\d+/filed/\d+\.json)"', page).group(1))
    assert data.status_code == 200 and data.mimetype == "application/json"
    with app.app_context():
        submission = db.session.scalar(select(Submission))
    assert hashlib.sha256(data.data).hexdigest() == submission.data_sha256
    assert json.loads(data.data)["full_name"] == VALID["full_name"]


def test_another_citizen_gets_404_for_the_receipt_and_the_data(app, citizen_client, client, make_user):
    case_id = send(citizen_client)
    links = receipt_links(citizen_client, case_id)
    client.login(make_user(email="inna@example.pl").email)
    for url in (links["xml"], links["pdf"], f"/cases/{case_id}/filed/1.json"):
        assert client.get(url).status_code == 404, url


def test_xmlsec1_verifies_the_receipt_with_the_published_certificate_and_refuses_a_changed_one(
        citizen_client, tmp_path):
    xml = xml_receipt(citizen_client, send(citizen_client))
    (tmp_path / "office.pem").write_bytes(certificates_pem(citizen_client))
    (tmp_path / "good.xml").write_bytes(xml)
    changed = xml.replace(b"<upo:ZnakSprawy>OR.1431.1.", b"<upo:ZnakSprawy>OR.1431.7.")
    assert changed != xml
    (tmp_path / "bad.xml").write_bytes(changed)

    def xmlsec1(name: str) -> subprocess.CompletedProcess:
        return subprocess.run([debian_tool("xmlsec1"), "--verify", "--trusted-pem", str(tmp_path / "office.pem"),
                               str(tmp_path / name)], capture_output=True, text=True, timeout=60)
    good, bad = xmlsec1("good.xml"), xmlsec1("bad.xml")
    assert good.returncode == 0 and "OK" in good.stdout + good.stderr
    assert bad.returncode != 0 and "FAIL" in bad.stdout + bad.stderr


def test_the_page_says_valid_and_shows_what_the_receipt_attests(citizen_client, client):
    xml = xml_receipt(citizen_client, send(citizen_client))
    response = verify_page(client, xml)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Ważne" in page and "OR.1431.1." in page
    assert "Urząd Miasta Krosna" in page and "Test citizen" in page


@pytest.mark.parametrize("change", ["a byte of the case number", "a byte of the digest", "the signature value",
                                    "a character base64 has not"])
def test_one_changed_byte_makes_the_receipt_not_valid_on_the_page_and_in_the_cli(
        citizen_client, client, tmp_path, change):
    xml = xml_receipt(citizen_client, send(citizen_client))
    at = {"a byte of the case number": xml.index(b"<upo:ZnakSprawy>") + 17,
          "a byte of the digest": xml.index(b"<upo:SkrotDokumentu>") + 22,
          "the signature value": xml.index(b"<ds:SignatureValue>") + 30,
          "a character base64 has not": xml.index(b"<ds:SignatureValue>") + 30}[change]
    changed = flip(xml, at) if change != "a character base64 has not" else xml[:at] + b"*" + xml[at + 1:]
    page = verify_page(client, changed).get_data(as_text=True)
    assert "Nieważne" in page and "Ważne</h2>" not in page
    (tmp_path / "office.pem").write_bytes(certificates_pem(citizen_client))
    (tmp_path / "bad.xml").write_bytes(changed)
    (tmp_path / "good.xml").write_bytes(xml)
    from click.testing import CliRunner
    runner = CliRunner()
    bad = runner.invoke(verify_command, [str(tmp_path / "bad.xml"), "--certificates", str(tmp_path / "office.pem")])
    good = runner.invoke(verify_command, [str(tmp_path / "good.xml"), "--certificates", str(tmp_path / "office.pem")])
    assert bad.exit_code == 1 and bad.output.startswith("NOT VALID")
    assert good.exit_code == 0 and good.output.startswith("VALID") and "OR.1431.1." in good.output


def test_a_receipt_signed_with_another_key_is_not_valid(app, citizen_client, client, tmp_path):
    from eurzad.receipts.document import to_xml
    from eurzad.signatures.xmldsig import sign
    xml = xml_receipt(citizen_client, send(citizen_client))
    with app.app_context():
        content = json.loads(db.session.scalar(select(Receipt)).content_json)
    forger = keys.create(tmp_path / "forger", "Urząd Miasta Krosna", "REGON 000526071", utcnow())
    forged = sign(to_xml(content), forger)
    assert forged != xml
    page = verify_page(client, forged).get_data(as_text=True)
    assert "Nieważne" in page and "nie przez ten urząd" in page


def test_an_old_receipt_still_verifies_after_the_key_is_rotated(app, citizen_client, client, tmp_path):
    first = xml_receipt(citizen_client, send(citizen_client))
    with app.app_context():
        folder = tmp_path / "keys"
        shutil.copytree(app.config["SIGNING_KEYS_DIR"], folder)
    rotated = app.config["SIGNING_KEYS_DIR"]
    try:
        app.config["SIGNING_KEYS_DIR"] = str(folder)
        with app.app_context():
            new = keys.create(folder, "Urząd Miasta Krosna", "REGON 000526071", utcnow())
        second = xml_receipt(citizen_client, send(citizen_client, {**VALID, "full_name": "Jan Nowak"}))
    finally:
        app.config["SIGNING_KEYS_DIR"] = rotated
    with app.app_context():
        assert db.session.scalar(select(OfficeCertificate).where(OfficeCertificate.key_id == new.key_id))
        assert [r.key_id for r in db.session.scalars(select(Receipt).order_by(Receipt.made_at))][1] == new.key_id
    for xml in (first, second):
        assert "Ważne</h2>" in verify_page(client, xml).get_data(as_text=True)
    assert certificates_pem(client).count(b"BEGIN CERTIFICATE") == 2


def test_the_receipt_number_and_digest_can_be_typed_instead(app, citizen_client, client):
    send(citizen_client)
    with app.app_context():
        receipt = db.session.scalar(select(Receipt))
        data_digest = json.loads(receipt.content_json)["data_sha256"]
    for digest in (receipt.content_sha256, data_digest.upper()):
        typed = client.submit("/receipts/verify", data={"receipt_id": receipt.id, "digest": digest})
        page = typed.get_data(as_text=True)
        assert "Ważne</h2>" in page and "OR.1431.1." in page
    wrong = client.submit("/receipts/verify", data={"receipt_id": receipt.id, "digest": "0" * 64})
    assert "Nieważne" in wrong.get_data(as_text=True) and "OR.1431" not in wrong.get_data(as_text=True)
    unknown = client.submit("/receipts/verify", data={"receipt_id": "3f2b8c1e-5d4a-4b7e-9c21-0a6f4e8d2b17",
                                                    "digest": receipt.content_sha256})
    assert "Nieznane" in unknown.get_data(as_text=True)


@pytest.mark.parametrize("data", [
    b"", b"hello", b"\x00\x01\x02" * 100, b"%PDF-1.7\n%%EOF", b"<a>", b"<?xml version='1.0'?><upo/>",
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>',
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]><r>&x;</r>',
], ids=["empty", "text", "binary", "bare-pdf", "broken-xml", "unsigned-xml", "entity-bomb", "file-entity",
        "network-entity"])
def test_anything_else_gets_a_plain_not_valid_never_an_error(client, data):
    response = verify_page(client, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Nieważne" in page
    assert "root:" not in page and "lollol" not in page


def test_an_oversized_upload_or_an_empty_form_gets_a_message_by_its_field(client):
    from io import BytesIO
    big = client.submit_files("/receipts/verify", {"receipt": (BytesIO(b"<" * (1024 * 1024 + 10)), "big.xml")})
    assert big.status_code == 413 and "większy niż" in big.get_data(as_text=True)
    empty = client.submit("/receipts/verify", data={})
    assert empty.status_code == 400 and 'href="#receipt"' in empty.get_data(as_text=True)
    half = client.submit("/receipts/verify", data={"receipt_id": "3f2b8c1e-5d4a-4b7e-9c21-0a6f4e8d2b17"})
    assert half.status_code == 400 and 'href="#digest"' in half.get_data(as_text=True)


def test_the_certificates_page_publishes_every_key_with_its_fingerprint(app, citizen_client, client):
    send(citizen_client)
    page = client.get("/receipts/certificates").get_data(as_text=True)
    with app.app_context():
        row = db.session.scalar(select(OfficeCertificate))
    assert row.fingerprint in page and row.key_id in page
    one = client.get(f"/receipts/certificates/{row.key_id}.pem")
    assert one.status_code == 200 and one.data.decode() == row.pem
    assert client.get("/receipts/certificates/no-such-key.pem").status_code == 404


def test_a_signed_receipt_the_register_does_not_hold_is_said_so(app, citizen_client, client):
    xml = xml_receipt(citizen_client, send(citizen_client))
    with app.app_context():
        receipt = db.session.scalar(select(Receipt))
        receipt.content_json = receipt.content_json.replace('"OR.1431.', '"OR.1432.')  # the register was changed
        receipt.content_sha256 = hashlib.sha256(receipt.content_json.encode()).hexdigest()
        db.session.commit()
    page = verify_page(client, xml).get_data(as_text=True)
    assert "nieobecne w jego rejestrze" in page and "Ważne</h2>" not in page


def test_the_confirmation_e_mail_carries_the_signed_receipt_as_pdf_and_xml(app, citizen_client, smtp_server):
    from email import message_from_bytes, policy

    from eurzad.outbox.operations import deliver_due
    from eurzad.receipts.operations import office_certificates, verify_file
    send(citizen_client)
    with app.app_context():
        account = db.session.scalar(select(Submission)).submitter.email
        settings = {**app.config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}
        assert deliver_due(settings, utcnow()) == (1, 0)
        certificates = office_certificates()
        receipt = db.session.scalar(select(Receipt))
        [envelope] = smtp_server.messages
        assert envelope.rcpt_tos == [account]
        mail = message_from_bytes(envelope.content, policy=policy.default)
        files = {part.get_filename(): part.get_content() for part in mail.iter_attachments()}
        assert sorted(files) == [f"upp-{receipt.id}.pdf", f"upp-{receipt.id}.xml"]
        assert "OR.1431.1." in mail.get_body(("plain",)).get_content()
        for content in files.values():
            outcome = verify_file(content if isinstance(content, bytes) else content.encode(), certificates)
            assert outcome.valid and outcome.content["receipt_id"] == receipt.id
