"""Upload quotas: one draft holds so many files and bytes, and the drafts of one anonymous sender together; a file
past a quota is refused next to its question, in the page's language, and nothing of it is kept (issue 11)."""
from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select

from eurzad.cases.models import Attachment
from eurzad.extensions import db

from ..conftest import ROOT
from .test_attachments import png, upload

QUOTAS = {"UPLOAD_DRAFT_FILES": 3, "UPLOAD_DRAFT_MB": 5, "UPLOAD_SENDER_FILES": 4, "UPLOAD_SENDER_MB": 5}


@pytest.fixture()
def quota_app(another_app, tmp_path):
    """The shipped and test forms, and open-letter (one attached file, no account needed); small quotas."""
    defs = tmp_path / "defs"
    shutil.copytree(ROOT / "form_definitions", defs)
    for path in (ROOT / "tests" / "definitions").glob("*.yaml"):
        shutil.copy(path, defs)
    letter = (defs / "letter.yaml").read_text(encoding="utf-8")  # the letter, for senders without an account too
    open_letter = letter.replace("\nid: letter\n", "\nid: open-letter\nassurance: anonymous\n")
    (defs / "open-letter.yaml").write_text(open_letter, encoding="utf-8")
    return another_app(DEFINITIONS_DIR=str(defs), ATTACHMENTS_DIR=str(tmp_path / "files"), **QUOTAS)


def stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Attachment))


def test_a_draft_past_its_file_count_refuses_the_next_file_next_to_its_question(quota_app):
    client = quota_app.test_client()
    first = client.start("open-letter")
    for number in range(3):  # each replaces the one before, and each is kept until the draft goes
        assert upload(client, first, png(number + 1, 1), f"skan{number}.png").status_code == 303
    refused = upload(client, first, png(9, 9), "jeszcze.png")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Limit plików jednego formularza: 3" in page and 'href="#scan"' in page
    assert stored(quota_app) == 3
    client.get("/?lang=en")
    english = upload(client, first, png(9, 9), "again.png").get_data(as_text=True)
    assert "A form takes at most 3 files" in english


def test_a_draft_past_its_bytes_refuses_a_file_that_would_pass_its_questions_size(quota_app):
    client = quota_app.test_client()
    first = client.start("open-letter")
    quota_app.config["UPLOAD_DRAFT_MB"] = 0  # no bytes at all may be kept (read at each request)
    try:
        refused = upload(client, first, png(300, 300), "duzy.png")  # under the question's 1 MB
    finally:
        quota_app.config["UPLOAD_DRAFT_MB"] = QUOTAS["UPLOAD_DRAFT_MB"]
    assert refused.status_code == 400 and "Limit plików jednego formularza" in refused.get_data(as_text=True)
    assert stored(quota_app) == 0


def test_an_anonymous_senders_drafts_share_one_quota_and_another_sender_is_not_held_back(quota_app):
    client = quota_app.test_client()
    drafts = [client.start("open-letter") for _ in range(3)]
    for number, first in enumerate(drafts[:2]):
        for turn in range(2):
            assert upload(client, first, png(number + 1, turn + 1), "skan.png").status_code == 303
    refused = upload(client, drafts[2], png(7, 7), "skan.png")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Limit plików formularzy wypełnianych bez logowania: razem 4" in page
    other = quota_app.test_client()  # another sender is not held back by this one
    assert upload(other, other.start("open-letter"), png(7, 7), "skan.png").status_code == 303
