"""Staff accounts, the front desk, clearing old drafts and sending mail: what each operation leaves behind.

Written for mutants of the operations that survived the suite (docs/testing.md).
"""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update

from eurzad.auth.models import Role
from eurzad.cases.models import Attachment
from eurzad.drafts.models import Draft
from eurzad.drafts.operations import purge_expired
from eurzad.extensions import db
from eurzad.outbox.models import OutboxMessage
from eurzad.outbox.operations import deliver_due
from eurzad.timeutil import utcnow

from .test_attachments import png, upload
from .test_identity import PESEL, log_out, register


def test_a_second_staff_account_with_the_same_e_mail_is_refused_by_the_e_mail_question(client, make_user):
    admin, clerk = make_user(Role.ADMIN), make_user(Role.CLERK, department="OR")
    client.login(admin.email)
    refused = client.submit("/admin/users/new", {"full_name": "Druga Osoba", "email": clerk.email,
                                                 "roles": "clerk", "department": "OR"})
    assert refused.status_code == 400
    assert "Konto z tym adresem e-mail już istnieje" in refused.get_data(as_text=True)


def test_a_deactivated_account_given_back_can_log_in_again_and_the_page_says_who_gave_it(client, make_user):
    admin, clerk = make_user(Role.ADMIN, full_name="Alicja Administratorka"), make_user(Role.CLERK, department="OR")
    client.login(admin.email)
    url = f"/admin/users/{clerk.id}"
    assert client.submit(f"{url}/deactivate", {"confirm": "yes"}, token_from=url).status_code == 303
    assert client.submit(f"{url}/reactivate", token_from=url).status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "To konto jest zablokowane" not in page
    assert re.search(r"Alicja Administratorka · [^<]*<code>user.reactivate</code>", page)
    log_out(client)
    client.login(clerk.email)
    assert client.get("/clerk/").status_code == 200


def test_an_administrator_sends_a_staff_member_a_new_link_to_set_a_password(app, client, make_user):
    admin, clerk = make_user(Role.ADMIN), make_user(Role.CLERK, department="OR")
    client.login(admin.email)
    url = f"/admin/users/{clerk.id}"
    assert client.submit(f"{url}/password-link", token_from=url).status_code == 303
    with app.app_context():
        message = db.session.scalar(select(OutboxMessage))
        assert message.recipient == clerk.email and "/password/reset/" in message.body
    assert "password.link_sent" in client.get(url).get_data(as_text=True)


def test_a_registration_rejected_twice_is_told_it_was_already_handled(client, make_user):
    register(client)
    log_out(client)
    client.login(make_user(Role.FRONT_DESK, department="BOI").email)
    found = client.get(f"/front-desk/?q={PESEL}").get_data(as_text=True)
    url = re.search(r'href="(/front-desk/registrations/\d+)"', found).group(1)
    token = client.csrf_token(url)
    first = client.post(f"{url}/reject", data={"reject-reason": "Inna osoba na zdjęciu.", "csrf_token": token})
    assert first.status_code == 200
    again = client.post(f"{url}/reject", data={"reject-reason": "Inna osoba na zdjęciu.", "csrf_token": token})
    assert "Ta rejestracja została już rozpatrzona" in again.get_data(as_text=True)


def test_clearing_old_drafts_keeps_the_files_of_a_draft_still_being_filled(test_forms, make_user):
    old = test_forms.start("letter")
    upload(test_forms, old, png(), "stary.png", subject="")
    other = test_forms.application.test_client()
    other.login(make_user().email)
    fresh = other.start("letter")
    upload(other, fresh, png(2, 2), "nowy.png", subject="")
    old_id, fresh_id = old.split("/")[2], fresh.split("/")[2]
    with test_forms.application.app_context():
        db.session.execute(update(Draft).where(Draft.id == old_id).values(updated_at=utcnow() - timedelta(days=31)))
        db.session.commit()
        assert purge_expired(utcnow(), 30) == 1
        kept = db.session.scalars(select(Attachment)).all()
        assert [(a.draft_id, a.name) for a in kept] == [(fresh_id, "nowy.png")]
        file_id = kept[0].id
    with other.get(f"/drafts/{fresh_id}/files/{file_id}") as download:
        assert download.status_code == 200 and download.data == png(2, 2)


def test_mail_set_to_go_over_ssl_is_never_sent_in_clear_text(app, client, make_user, smtp_server):
    client.submit("/password/forgot", {"login": make_user().email})
    with app.app_context():
        ssl_only = {**app.config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port, "MAIL_USE_SSL": True}
        assert deliver_due(ssl_only, utcnow()) == (0, 1)
        assert db.session.scalar(select(OutboxMessage)).sent_at is None
    assert smtp_server.messages == []


def test_the_front_desk_gives_a_new_activation_code_and_only_the_new_one_works(client, make_user):
    from .test_identity import NEW_PASSWORD, verify_at_front_desk
    first_code = verify_at_front_desk(client, make_user, register(client))
    client.login(make_user(Role.FRONT_DESK, department="BOI").email)
    found = client.get(f"/front-desk/?q={PESEL}").get_data(as_text=True)
    url = re.search(r'href="(/front-desk/registrations/\d+)"', found).group(1)
    assert client.submit(f"{url}/code", {"verify-state": "verified"}, token_from=url).status_code == 400  # no ID check
    slip = client.submit(f"{url}/code", {"verify-state": "verified", "verify-document_type": "id_card",
                                         "verify-document_suffix": "7X1Q", "verify-matches": "y"}, token_from=url)
    assert slip.status_code == 200
    new_code = re.search(r'case-number">([A-Z0-9]{4}-[A-Z0-9]{4})<', slip.get_data(as_text=True)).group(1)
    assert new_code != first_code
    log_out(client)
    activation = {"login": PESEL, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert client.submit("/activate", {**activation, "code": first_code}).status_code == 400
    assert client.submit("/activate", {**activation, "code": new_code}).status_code == 303


def test_an_e_mail_address_typed_with_capitals_is_kept_and_shown_in_lower_case(client, make_user):
    admin = make_user(Role.ADMIN)
    make_user(Role.CLERK, department="OR", email="Ewa.Drogowa@UM.Krosno.pl")
    client.login(admin.email)
    page = client.get("/admin/users/").get_data(as_text=True)
    assert "ewa.drogowa@um.krosno.pl" in page and "Ewa.Drogowa@UM" not in page
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.login("EWA.DROGOWA@um.krosno.pl")
