"""Attached files: checked by content, stored by digest, named safely, downloadable only by those who may."""
from __future__ import annotations

import hashlib
import io
import json
import struct
import zlib

from sqlalchemy import select

from eurzad.auth.models import Role
from eurzad.cases.models import Submission
from eurzad.extensions import db


def png(width: int = 1, height: int = 1) -> bytes:
    """A real PNG image, made here."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def upload(client, location, content: bytes, filename: str, subject: str = "Skarga na hałas"):
    """Post the page with a file, as a browser does (multipart/form-data)."""
    return client.submit_files(location, {"subject": subject, "scan": (io.BytesIO(content), filename)})


def test_a_file_is_sent_with_the_form_and_listed_on_the_receipt_with_its_digest(test_forms):
    first = test_forms.start("letter")
    image = png(4, 4)
    response = upload(test_forms, first, image, "C:\\Users\\jan\\..\\skan pisma.png")
    assert response.status_code == 303
    summary = test_forms.get(response.headers["Location"]).get_data(as_text=True)
    assert "skan pisma.png" in summary
    sent = test_forms.submit(response.headers["Location"])
    case_id = sent.headers["Location"].split("/")[2]
    receipt = test_forms.get(f"/cases/{case_id}/receipt").get_data(as_text=True)
    digest = hashlib.sha256(image).hexdigest()
    assert "skan pisma.png" in receipt and digest in receipt and "image/png" in receipt
    with test_forms.application.app_context():
        submission = db.session.scalar(select(Submission))
        assert json.loads(submission.data_json)["scan"] == digest
        file_id = submission.attachments[0].id
    with test_forms.get(f"/cases/{case_id}/files/{file_id}") as download:
        assert download.status_code == 200 and download.data == image
        assert download.headers["Content-Type"] == "image/png"
        assert "attachment" in download.headers["Content-Disposition"]
        assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_only_the_sender_and_the_departments_clerks_may_download(test_forms, make_user):
    first = test_forms.start("letter")
    summary = upload(test_forms, first, png(), "a.png").headers["Location"]
    case_id = test_forms.submit(summary).headers["Location"].split("/")[2]
    with test_forms.application.app_context():
        file_id = db.session.scalar(select(Submission)).attachments[0].id
    url = f"/cases/{case_id}/files/{file_id}"
    for user, status in ((make_user(), 404), (make_user(Role.CLERK, department="DR"), 404),
                         (make_user(Role.CLERK, department="OR"), 200)):
        test_forms.post("/logout", data={"csrf_token": test_forms.csrf_token()})
        test_forms.login(user.email)
        with test_forms.get(url) as response:
            assert response.status_code == status, user.email
    assert test_forms.get(f"/cases/{case_id}/files/{file_id + 1}").status_code == 404


def test_the_type_is_read_from_the_content_not_the_name(test_forms):
    first = test_forms.start("letter")
    page = upload(test_forms, first, b"#!/bin/sh\nrm -rf /\n" * 10, "wniosek.pdf").get_data(as_text=True)
    assert "Plik musi być w formacie PDF lub PNG" in page
    assert 'aria-describedby="scan-hint scan-error"' in page


def test_too_big_empty_and_missing_files_get_their_messages(test_forms):
    first = test_forms.start("letter")
    big = upload(test_forms, first, png() + b"\x00" * (1024 * 1024), "duzy.png")
    assert big.status_code == 400 and "Plik może mieć najwyżej 1 MB" in big.get_data(as_text=True)
    empty = upload(test_forms, first, b"", "pusty.png")
    assert "Wybrany plik jest pusty" in empty.get_data(as_text=True) or "Wybierz plik" in empty.get_data(as_text=True)
    missing = test_forms.submit(first, {"subject": "Temat"})
    assert missing.status_code == 400 and "Wybierz plik" in missing.get_data(as_text=True)


def test_a_good_file_is_kept_when_another_answer_is_wrong_and_can_be_removed(test_forms):
    first = test_forms.start("letter")
    page = upload(test_forms, first, png(), "skan.png", subject="").get_data(as_text=True)
    assert "Załączono:" in page and "skan.png" in page and "Uzupełnij to pole" in page
    token = test_forms.csrf_token(first)
    removed = test_forms.post(f"{first}/remove-file/scan", data={"csrf_token": token}, follow_redirects=True)
    assert "Załączono:" not in removed.get_data(as_text=True)


def test_a_file_answer_whose_upload_is_gone_is_asked_again_on_the_summary(test_forms):
    from eurzad.cases.models import Attachment
    first = test_forms.start("letter")
    summary = upload(test_forms, first, png(), "skan.png").headers["Location"]
    with test_forms.application.app_context():
        db.session.query(Attachment).delete()
        db.session.commit()
    response = test_forms.submit(summary)
    assert response.status_code == 400 and "Wybierz plik" in response.get_data(as_text=True)
    with test_forms.application.app_context():
        assert db.session.scalar(select(Submission)) is None
