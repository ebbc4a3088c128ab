"""The signed PDF receipt: pdfsig and the office's own check say valid and unchanged; a changed byte, another key,
an update appended after signing, another receipt put inside or a file that is no receipt say not valid, with a
reason, never an exception."""
from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_datetime
from pyhanko.pdf_utils import embed, generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from eurzad.canonical import canonical_json, moment, sha256_hex
from eurzad.cases.models import Case
from eurzad.extensions import db, registry
from eurzad.receipts import printout
from eurzad.receipts.document import to_xml
from eurzad.receipts.models import Receipt
from eurzad.receipts.operations import Outcome, office_certificates, office_key, receipt_of, verify_file
from eurzad.signatures import keys, pades, xmldsig
from eurzad.timeutil import utcnow

from .conftest import debian_tool
from .web.test_citizen_journey import send
from .web.test_identity import log_out
from .web.test_replies import PDF, replied_case

VERIFY = "http://127.0.0.1:5000/receipts/verify?receipt="


def receipt_pdf(app, where: Any, key: keys.SigningKey | None = None) -> tuple[bytes, Receipt]:
    """The PDF of a receipt (of the case filed as `where`, a case id, or the receipt row matching `where`), as its
    download makes it: signed with the office's key, or with `key`."""
    with app.test_request_context():
        receipt = receipt_of(db.session.get(Case, where).submission) if isinstance(where, int) else \
            db.session.scalar(select(Receipt).where(where))
        pdf = printout.render(receipt, registry().workflows.office, VERIFY + receipt.id, key or office_key())
        db.session.expunge(receipt)
        return pdf, receipt


def check(app, data: bytes) -> Outcome:
    """What the office's check (the verification page and `eurzad receipts verify`) says of a file."""
    with app.app_context():
        return verify_file(data, office_certificates())


def run(tool: str, pdf: bytes, folder: Path, *options: str) -> str:
    """A poppler tool on the PDF (pdfsig: with an empty NSS profile of its own, and no OCSP fetch)."""
    path = folder / "receipt.pdf"
    path.write_bytes(pdf)
    command = [debian_tool(tool), *options, str(path), *(["-"] if tool == "pdftotext" else [])]
    done = subprocess.run(command, capture_output=True, env={**os.environ, "HOME": str(folder)}, timeout=60)
    return done.stdout.decode("utf-8") + done.stderr.decode("utf-8", "replace")


def pdfsig(pdf: bytes, folder: Path) -> str:
    return run("pdfsig", pdf, folder, "-no-ocsp")


def leaves(value: Any) -> list[Any]:
    """Every plain value of a receipt's content (strings, numbers), depth first."""
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in leaves(item)]
    return [] if value is None else [value]


def squeezed(text: str) -> str:
    """Text without its white space: a value wrapped over two lines reads whole again."""
    return re.sub(r"\s", "", text)


def test_the_pdf_receipt_of_a_filing_is_valid_for_pdfsig_and_for_the_office(app, citizen_client, tmp_path):
    pdf, receipt = receipt_pdf(app, send(citizen_client))
    report = pdfsig(pdf, tmp_path)
    assert "Signature Type: ETSI.CAdES.detached" in report and "Signing Hash Algorithm: SHA-256" in report
    assert "Signature Validation: Signature is Valid." in report and "Total document signed" in report
    outcome = check(app, pdf)
    assert outcome.valid, outcome.reason
    assert (outcome.form, outcome.key_id, outcome.content) == ("PDF", receipt.key_id, json.loads(receipt.content_json))


def test_the_pdf_prints_every_field_of_the_receipt_in_polish_with_its_letters_intact(app, citizen_client, tmp_path):
    pdf, receipt = receipt_pdf(app, send(citizen_client))
    text = run("pdftotext", pdf, tmp_path, "-enc", "UTF-8")
    content = json.loads(receipt.content_json)
    assert "Urząd Miasta Krosna" in text and "ul. Lwowska 28a, 38-400 Krosno" in text and "REGON 000526071" in text
    assert "Urzędowe poświadczenie przedłożenia (UPP)" in text and "Znak sprawy" in text
    assert content["case_number"] in text and content["data_sha256"] in text and receipt.content_sha256 in text
    how = content["sender"].pop("identified_by")  # printed in words, as the receipt page says it
    assert how == "account_unverified" and "tożsamość nie została potwierdzona w urzędzie" in text
    assert [leaf for leaf in leaves(content) if squeezed(str(leaf)) not in squeezed(text)] == []
    filed = datetime.strptime(content["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    words = format_datetime(filed, "d MMMM y, HH:mm:ss", tzinfo=ZoneInfo("Europe/Warsaw"), locale="pl")
    assert f"{words} (czas polski)\n{content['at']} (UTC)" in text
    assert squeezed(VERIFY + receipt.id) in squeezed(text) and "Strona" not in text  # one page: no page numbers
    fonts = run("pdffonts", pdf, tmp_path)
    assert "DejaVuSans" in fonts and "Helvetica" not in fonts  # every font the text uses is in the file


def test_a_filing_made_in_english_gets_its_receipt_in_english(app, citizen_client, tmp_path):
    citizen_client.get("/?lang=en")
    pdf, receipt = receipt_pdf(app, send(citizen_client))
    text = run("pdftotext", pdf, tmp_path, "-enc", "UTF-8")
    assert receipt.locale == "en" and "Krosno City Office" in text and "ul. Lwowska 28a, 38-400 Krosno, Poland" in text
    assert "Official receipt of submission (UPP)" in text and "Received by the office" in text
    assert "(Polish time)" in text and "Urzędowe" not in text and "Znak sprawy" not in text
    assert json.loads(receipt.content_json)["case_number"] in text


def test_the_pdf_receipt_of_a_delivery_names_the_documents_delivered(app, client, make_user, tmp_path):
    case_id, citizen, _clerk = replied_case(app, client, make_user)
    log_out(client)
    client.login(citizen.email)
    client.get(f"/cases/{case_id}")  # the first opening is the delivery
    pdf, receipt = receipt_pdf(app, Receipt.kind == "UPD")
    text = run("pdftotext", pdf, tmp_path, "-enc", "UTF-8")
    assert "Urzędowe poświadczenie doręczenia (UPD)" in text and "Doręczone dokumenty" in text
    assert "odpowiedz.pdf" in text and hashlib.sha256(PDF).hexdigest() in text
    assert "Signature is Valid." in pdfsig(pdf, tmp_path)
    outcome = check(app, pdf)
    assert outcome.valid and outcome.content == json.loads(receipt.content_json)


def test_the_pdf_is_made_and_checked_also_where_an_event_loop_already_runs(app, citizen_client):
    """As under an asyncio server, or after Playwright's browser tests: pyHanko's blocking calls would refuse."""
    case_id = send(citizen_client)

    async def made_and_checked() -> Outcome:
        pdf, _receipt = receipt_pdf(app, case_id)
        return check(app, pdf)
    with ThreadPoolExecutor(max_workers=1) as pool:  # a loop of its own, whether or not this thread runs one
        outcome = pool.submit(asyncio.run, made_and_checked()).result()
    assert outcome.valid, outcome.reason


def test_one_changed_byte_in_the_signed_range_makes_the_pdf_not_valid(app, citizen_client, tmp_path):
    pdf, _receipt = receipt_pdf(app, send(citizen_client))
    signed_until = int(re.search(rb"/ByteRange \[\s*0 (\d+)", pdf)[1])
    stream = re.search(rb"stream\r?\n", pdf).end()  # inside the first stream: the file still parses
    changed = bytearray(pdf)
    changed[stream + 20] ^= 0x01
    assert stream + 20 < signed_until
    report = pdfsig(bytes(changed), tmp_path)
    assert "Signature is Valid" not in report and "Digest Mismatch" in report
    outcome = check(app, bytes(changed))
    assert not outcome.valid and "changed after it was signed" in outcome.reason


def test_a_pdf_signed_with_another_key_is_not_valid_though_pdfsig_finds_its_signature_sound(
        app, citizen_client, tmp_path):
    other = keys.create(tmp_path / "keys", "Urząd Miasta Krosna", "REGON 000526071", utcnow())  # same name, not ours
    pdf, _receipt = receipt_pdf(app, send(citizen_client), key=other)  # the office's own signed XML inside
    assert "Signature is Valid." in pdfsig(pdf, tmp_path)  # pdfsig alone cannot tell: the certificate must match
    outcome = check(app, pdf)
    assert not outcome.valid and outcome.reason == "signed with a certificate that is not one of the office's"


def test_an_update_appended_after_signing_is_not_valid(app, citizen_client, tmp_path):
    pdf, _receipt = receipt_pdf(app, send(citizen_client))
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    writer.root["/PageMode"] = generic.NameObject("/UseAttachments")  # any change: a forger would draw on the page
    writer.update_root()
    updated = BytesIO()
    writer.write(updated)
    assert "Not total document signed" in pdfsig(updated.getvalue(), tmp_path)
    outcome = check(app, updated.getvalue())
    assert not outcome.valid and "something was added after its signature" in outcome.reason


@pytest.mark.parametrize("how", ["in place", "as an update"])
def test_the_receipt_inside_swapped_for_another_receipt_makes_the_pdf_not_valid(app, citizen_client, tmp_path, how):
    pdf, receipt = receipt_pdf(app, send(citizen_client))
    _other_pdf, other = receipt_pdf(app, send(citizen_client))
    assert xmldsig.verify(other.xml, {other.key_id: keys.load_certificates(office_pem(app))[0]})  # valid on its own
    if how == "in place":
        assert pdf.count(receipt.xml) == 1 and len(other.xml) <= len(receipt.xml)
        swapped = pdf.replace(receipt.xml, other.xml.ljust(len(receipt.xml)))  # white space after the root is XML
    else:
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        name, spec = writer.root["/Names"]["/EmbeddedFiles"]["/Names"]
        assert str(name) == "upo.xml"
        spec = spec.get_object()
        spec["/EF"] = generic.DictionaryObject({
            generic.NameObject("/F"): embed.EmbeddedFileObject.from_file_data(writer, other.xml).ef_stream_ref})
        writer.update_container(spec)
        out = BytesIO()
        writer.write(out)
        swapped = out.getvalue()
    outcome = check(app, swapped)
    assert not outcome.valid and "changed after it was signed" in outcome.reason


def office_pem(app) -> bytes:
    with app.app_context():
        return office_key().certificate_pem.encode()


def plain_pdf() -> bytes:
    """A PDF with no signature."""
    out = BytesIO()
    page = Canvas(out)
    page.drawString(100, 700, "Urzedowe poswiadczenie przedlozenia")
    page.save()
    return out.getvalue()


@pytest.mark.parametrize(("name", "reason"), [
    ("empty", "not well-formed XML"),
    ("random bytes", "not well-formed XML"),
    ("random bytes behind a PDF header", "not a readable PDF"),
    ("truncated receipt", "not a readable PDF|the PDF is not signed"),
    ("unsigned PDF", "the PDF is not signed"),
    ("signed PDF without a receipt inside", "the PDF carries no receipt"),
    ("receipt signed twice", "the PDF carries 2 signatures"),
])
def test_a_file_that_is_no_receipt_is_not_valid_with_a_reason_never_an_exception(app, citizen_client, name, reason):
    pdf, _receipt = receipt_pdf(app, send(citizen_client))
    with app.app_context():
        files = {
            "empty": b"",
            "random bytes": os.urandom(4096),
            "random bytes behind a PDF header": b"%PDF-1.7\n" + os.urandom(4096),
            "truncated receipt": pdf[:len(pdf) // 2],
            "unsigned PDF": plain_pdf(),
            "signed PDF without a receipt inside": pades.sign_pdf(plain_pdf(), office_key(), {}),
            "receipt signed twice": pades.sign_pdf(pdf, office_key(), {}),
        }
    outcome = check(app, files[name])
    assert not outcome.valid and re.search(reason, outcome.reason), outcome.reason


def test_long_names_wrap_inside_the_page_and_a_long_receipt_numbers_its_pages(app, tmp_path):
    files = [{"name": f"{number:02d} " + "załącznik-z-bardzo-długą-nazwą-bez-spacji_" * 5 + ".pdf", "size": 123456789,
              "type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              "sha256": sha256_hex(str(number).encode())} for number in range(30)]
    with app.test_request_context():
        key = office_key()
        content = {
            "kind": "UPP", "receipt_id": "3f0c8e0e-1b7a-4f7e-9a57-0d8c9e3a2b11", "made_at": moment(utcnow()),
            "office": {"name": "Urząd Miasta Krosna", "identifier": "REGON 000526071"},
            "sender": {"name": "Zofia Wiśniewska-Żółkiewska " * 6, "account": 7, "identified_by": "account"},
            "addressee": {"name": "Wydział Organizacyjny", "identifier": "OR"},
            "form": {"identifier": "public-information", "version": 2, "definition_sha256": sha256_hex(b"form")},
            "document_id": "P-7", "case_number": "OR.1431.7.2027", "at": moment(utcnow()),
            "data_sha256": sha256_hex(b"data"), "attachments": files,
        }
        body = canonical_json(content)
        receipt = Receipt(id=content["receipt_id"], kind="UPP", locale="pl", key_id=key.key_id,
                          content_json=body.decode(), content_sha256=sha256_hex(body),
                          xml=xmldsig.sign(to_xml(content), key))
        pdf = printout.render(receipt, registry().workflows.office, VERIFY + "x" * 300, key)
        db.session.commit()  # the office's certificate, registered by office_key()
    text = run("pdftotext", pdf, tmp_path, "-enc", "UTF-8")
    pages = int(re.search(r"Strona 1 z (\d+)", text)[1])
    assert pages >= 2 and f"Strona {pages} z {pages}" in text
    assert all(squeezed(item["name"]) in squeezed(text) and item["sha256"] in text for item in files)
    page_width = float(re.search(r'<page width="([\d.]+)"', run("pdftotext", pdf, tmp_path, "-bbox"))[1])
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', run("pdftotext", pdf, tmp_path, "-bbox"))]
    assert max(right_edges) <= page_width - 20 * 72 / 25.4 + 1  # nothing runs into the right margin
    assert check(app, pdf).valid
