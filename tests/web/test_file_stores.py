"""Where attached files are kept (ATTACHMENT_STORE, decision 0041): a folder of one host, or the database every host
shares; and the purge of contents no draft or case names any more, on both stores."""
from __future__ import annotations

import hashlib
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from eurzad import create_app
from eurzad.auth.models import Role
from eurzad.cases.files import file_store, purge_orphans
from eurzad.cases.models import Attachment, AttachmentContent, Submission
from eurzad.cli import main
from eurzad.config import ConfigError
from eurzad.extensions import db
from eurzad.timeutil import utcnow

from .test_attachments import png, upload

STORES = ["local", "database"]


@pytest.fixture(params=STORES)
def store_app(request, forms_app):
    """The test forms on an app whose files go to the store of the test's parameter."""
    return forms_app(ATTACHMENT_STORE=request.param)


def citizen(app, make_user):
    client = app.test_client()
    client.user = make_user()
    client.login(client.user.email)
    return client


def send_letter(client, content: bytes) -> tuple[str, int]:
    """Send the letter form with `content` attached; return the case's id and the file's id."""
    summary = upload(client, client.start("letter"), content, "skan.png").headers["Location"]
    case_id = client.submit(summary).headers["Location"].split("/")[2]
    with client.application.app_context():
        file_id = db.session.scalar(select(Submission).order_by(Submission.id.desc())).attachments[0].id
    return case_id, file_id


def upload_to_a_draft(client, content: bytes) -> str:
    """Attach `content` to a new draft of the letter form; return the draft's address."""
    first = client.start("letter")
    assert upload(client, first, content, "skan.png").status_code == 303
    return first.split("/pages/")[0]


def upload_to_a_deleted_draft(client, content: bytes) -> None:
    """Attach `content` to a new draft, then delete the draft: its file is named by nothing any more."""
    assert client.submit(f"{upload_to_a_draft(client, content)}/delete", {"confirm": "yes"}).status_code == 303


def clerk_download(app, make_user, case_id: str, file_id: int):
    clerk = app.test_client()
    clerk.login(make_user(Role.CLERK, department="OR").email)
    return clerk.get(f"/cases/{case_id}/files/{file_id}")


def stored_digests(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(AttachmentContent.sha256)))


@pytest.mark.parametrize("store", STORES)
def test_a_file_a_citizen_attached_is_downloaded_by_the_clerk(forms_app, make_user, tmp_path, store):
    app = forms_app(ATTACHMENT_STORE=store)
    image = png(3, 3)
    case_id, file_id = send_letter(citizen(app, make_user), image)
    with clerk_download(app, make_user, case_id, file_id) as response:
        assert response.status_code == 200 and response.data == image
        assert response.headers["Content-Type"] == "image/png"
    on_disk = [path.name for path in (tmp_path / "files").rglob("*") if path.is_file()]
    assert on_disk == ([hashlib.sha256(image).hexdigest()] if store == "local" else [])


def test_with_the_database_store_a_host_with_an_empty_folder_serves_a_file_another_host_took(forms_app, make_user,
                                                                                             tmp_path):
    image = png(5, 2)
    case_id, file_id = send_letter(citizen(forms_app(ATTACHMENT_STORE="database"), make_user), image)
    other_host = forms_app(ATTACHMENT_STORE="database", ATTACHMENTS_DIR=str(tmp_path / "elsewhere"))
    with clerk_download(other_host, make_user, case_id, file_id) as response:
        assert response.status_code == 200 and response.data == image


def test_a_file_whose_content_is_lost_gets_the_not_found_page_not_an_error(store_app, make_user):
    case_id, file_id = send_letter(citizen(store_app, make_user), png(2, 2))
    with store_app.app_context():
        file_store(store_app.config).forget([hashlib.sha256(png(2, 2)).hexdigest()])
        db.session.execute(update(AttachmentContent).values(content=None))
        db.session.commit()
    with clerk_download(store_app, make_user, case_id, file_id) as response:
        assert response.status_code == 404 and "Nie znaleziono strony</h1>" in response.get_data(as_text=True)


def test_the_purge_deletes_the_files_of_a_deleted_draft_and_keeps_those_sent(store_app, make_user, tmp_path):
    client = citizen(store_app, make_user)
    sent, dropped = png(1, 2), png(2, 1)
    case_id, file_id = send_letter(client, sent)
    draft = upload_to_a_draft(client, dropped)
    assert client.submit(f"{draft}/delete", {"confirm": "yes"}).status_code == 303
    with store_app.app_context():
        assert purge_orphans(file_store(store_app.config), utcnow()) == 0  # stored today: spared for a day
        assert purge_orphans(file_store(store_app.config), utcnow() + timedelta(days=2)) == 1
    assert stored_digests(store_app) == {hashlib.sha256(sent).hexdigest()}
    on_disk = {path.name for path in (tmp_path / "files").rglob("*") if path.is_file()}
    assert on_disk == ({hashlib.sha256(sent).hexdigest()} if store_app.config["ATTACHMENT_STORE"] == "local" else set())
    with clerk_download(store_app, make_user, case_id, file_id) as response:
        assert response.status_code == 200 and response.data == sent


def test_a_file_attached_again_after_its_draft_was_deleted_outlives_the_purge(store_app, make_user):
    client = citizen(store_app, make_user)
    image = png(4, 1)
    upload_to_a_deleted_draft(client, image)
    with store_app.app_context():  # two days later the same scan is attached to a new draft
        db.session.execute(update(AttachmentContent).values(stored_at=utcnow() - timedelta(days=2)))
        db.session.commit()
    draft = upload_to_a_draft(client, image)
    with store_app.app_context():
        assert purge_orphans(file_store(store_app.config), utcnow()) == 0
    case_id = client.submit(f"{draft}/check").headers["Location"].split("/")[2]
    with store_app.app_context():
        file_id = db.session.scalar(select(Attachment.id).where(Attachment.submission_id.is_not(None)))
    with clerk_download(store_app, make_user, case_id, file_id) as response:
        assert response.status_code == 200 and response.data == image


def test_a_purge_meeting_an_upload_of_the_same_content_waits_for_it_and_spares_the_file(store_app, make_user):
    """The upload has stored the content but not yet committed the row naming it when the purge starts."""
    client = citizen(store_app, make_user)
    image = png(6, 1)
    upload_to_a_deleted_draft(client, image)
    digest = hashlib.sha256(image).hexdigest()
    with store_app.app_context():
        db.session.execute(update(AttachmentContent).values(stored_at=utcnow() - timedelta(days=2)))
        db.session.commit()
    stored, commit = threading.Event(), threading.Event()

    def uploading() -> None:
        with store_app.app_context():
            file_store(store_app.config).put(digest, image, utcnow())
            db.session.add(Attachment(sha256=digest, name="skan.png", size=len(image), content_type="image/png",
                                      field="scan", user_id=client.user.id, created_at=utcnow()))
            db.session.flush()
            stored.set()
            commit.wait(10)
            db.session.commit()

    purged: list[int] = []

    def purging() -> None:
        with store_app.app_context():
            purged.append(purge_orphans(file_store(store_app.config), utcnow(), timedelta(hours=1)))

    upload_thread, purge_thread = threading.Thread(target=uploading), threading.Thread(target=purging)
    upload_thread.start()
    assert stored.wait(10)
    purge_thread.start()
    purge_thread.join(1)
    assert purge_thread.is_alive(), "the purge did not wait for the upload"
    commit.set()
    upload_thread.join(20)
    purge_thread.join(20)
    assert purged == [0]
    with store_app.app_context():
        assert file_store(store_app.config).read(digest) == image


def test_the_purge_command_says_how_many_files_it_deleted(store_app, make_user):
    client = citizen(store_app, make_user)
    assert client.submit(f"{upload_to_a_draft(client, png(7, 1))}/delete", {"confirm": "yes"}).status_code == 303
    runner = store_app.test_cli_runner()
    assert runner.invoke(main, ["attachments", "purge"]).output == "Deleted 0 file(s) no draft or case names.\n"
    with store_app.app_context():
        db.session.execute(update(AttachmentContent).values(stored_at=utcnow() - timedelta(hours=3)))
        db.session.commit()
    result = runner.invoke(main, ["attachments", "purge", "--keep-hours", "2"])
    assert result.exit_code == 0 and result.output == "Deleted 1 file(s) no draft or case names.\n"
    assert stored_digests(store_app) == set()


def test_an_unknown_store_is_refused_at_start_with_what_to_set(app):
    with pytest.raises(ConfigError, match="ATTACHMENT_STORE is 's3'.*'local'.*'database'"):
        create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                    "ATTACHMENT_STORE": "s3"})
