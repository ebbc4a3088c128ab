"""Administrators manage staff: create (a set-password link is e-mailed), change roles, deactivate; all audited."""
from __future__ import annotations

import re

from sqlalchemy import select

from eurzad.audit.models import AuditEvent
from eurzad.auth.models import Role, User
from eurzad.extensions import db
from eurzad.outbox.models import OutboxMessage

from .test_identity import NEW_PASSWORD, log_out


def test_an_administrator_creates_a_clerk_who_sets_a_password_from_the_e_mail(app, client, make_user):
    admin = make_user(Role.ADMIN)
    client.login(admin.email)
    assert "Urzędnik: prowadzi sprawy wydziału" in client.get("/admin/users/new").get_data(as_text=True)
    missing = client.submit("/admin/users/new", {"full_name": "Ewa Drogowa", "email": "ewa@um.krosno.pl",
                                                 "roles": "clerk", "department": ""})
    assert missing.status_code == 400 and "Urzędnik i naczelnik należą do wydziału" in missing.get_data(as_text=True)
    created = client.submit("/admin/users/new", {"full_name": "Ewa Drogowa", "email": "ewa@um.krosno.pl",
                                                 "roles": "clerk", "department": "DR"})
    assert created.status_code == 303
    with app.app_context():
        message = db.session.scalar(select(OutboxMessage))
        assert message.recipient == "ewa@um.krosno.pl"
        link = re.search(r"(/password/reset/\S+)", message.body).group(1)
    log_out(client)
    assert client.submit(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 303
    client.login("ewa@um.krosno.pl", NEW_PASSWORD)
    assert client.get("/clerk/").status_code == 200


def test_role_and_department_changes_and_deactivation_are_audited(app, client, make_user):
    admin, clerk = make_user(Role.ADMIN), make_user(Role.CLERK, department="OR")
    client.login(admin.email)
    url = f"/admin/users/{clerk.id}"
    assert client.submit(url, {"full_name": clerk.full_name, "email": clerk.email,
                               "roles": ["clerk", "head"], "department": "DR"}).status_code == 303
    unasked = client.submit(f"{url}/deactivate", token_from=url)  # a post that did not come from the question
    assert unasked.headers["Location"] == f"{url}/deactivate" and "zablokowane" not in client.get(url).text
    question = client.get(f"{url}/deactivate").get_data(as_text=True)
    assert f"Zablokować konto: {clerk.full_name}?" in question and "Tak, zablokuj konto" in question
    assert client.submit(f"{url}/deactivate", {"confirm": "yes"}, token_from=url).status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "user.change" in page and "user.deactivate" in page and "To konto jest zablokowane" in page
    assert "Zmiana konta" in page and "Zablokowanie konta" in page  # in words, not only as codes
    assert "Urzędnik, Naczelnik wydziału" in client.get("/admin/users/").get_data(as_text=True)
    with app.app_context():
        changed = db.session.get(User, clerk.id)
        assert changed.roles == {"clerk", "head"} and changed.department == "DR"
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.subject_id == clerk.id)).all()
        assert {e.actor_id for e in events} == {admin.id}
    log_out(client)
    refused = client.submit("/login", {"login": clerk.email, "password": "correct horse battery staple"})
    assert refused.status_code == 400


def test_an_administrator_cannot_lock_themselves_out(client, make_user):
    admin = make_user(Role.ADMIN)
    client.login(admin.email)
    url = f"/admin/users/{admin.id}"
    assert client.submit(f"{url}/deactivate", {"confirm": "yes"}, token_from=url).status_code == 403
    page = client.submit(url, {"full_name": admin.full_name,
                                                      "email": admin.email, "roles": "clerk", "department": "OR"})
    assert page.status_code == 400 and "Nie możesz odebrać sobie roli administratora" in page.get_data(as_text=True)


def test_citizens_are_not_staff_pages_business(client, make_user):
    admin, citizen = make_user(Role.ADMIN), make_user()
    client.login(admin.email)
    assert client.get(f"/admin/users/{citizen.id}").status_code == 404
    assert citizen.email not in client.get("/admin/users/").get_data(as_text=True)


def test_only_clerks_heads_and_the_front_desk_belong_to_a_department(app, client, make_user):
    client.login(make_user(Role.ADMIN).email)
    refused = client.submit("/admin/users/new", {"full_name": "Adam Admin", "email": "adam@um.krosno.pl",
                                                 "roles": "admin", "department": "DR"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'href="#department"' in page
    assert "Do wydziału należą tylko urzędnicy, naczelnicy wydziałów i Biuro Obsługi Interesantów" in page
    front_desk = client.submit("/admin/users/new", {"full_name": "Bożena Okienko", "email": "boi2@um.krosno.pl",
                                                    "roles": "front_desk", "department": "BOI"})
    assert front_desk.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "adam@um.krosno.pl")) is None


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_an_administrator_cannot_move_a_colleagues_account_to_another_mailbox_without_the_colleague(
        app, client, make_user):
    admin, clerk = make_user(Role.ADMIN), make_user(Role.CLERK, department="OR", email="ewa@um.krosno.pl")
    client.login(admin.email)
    url = f"/admin/users/{clerk.id}"
    saved = client.submit(url, {"full_name": clerk.full_name, "email": "mine@evil.example", "roles": "clerk",
                                "department": "OR"})
    assert saved.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "zmieni się na mine@evil.example dopiero" in page
    with app.app_context():
        assert db.session.get(User, clerk.id).email == "ewa@um.krosno.pl", "nothing changes yet"
    link_mail, notice = outbox(app)
    assert link_mail.recipient == "mine@evil.example" and notice.recipient == "ewa@um.krosno.pl"
    assert "mine@evil.example" in notice.body
    link = re.search(r"(/account/email/confirm/\S+)", link_mail.body).group(1)
    assert client.get(link).status_code == 404  # the administrator holding the new mailbox cannot confirm it
    assert client.submit(link).status_code == 404
    log_out(client)
    assert client.submit("/login", {"login": "mine@evil.example", "password": NEW_PASSWORD}).status_code == 400
    client.login("ewa@um.krosno.pl")  # the colleague, logged in, confirms: only then it changes
    confirmed = client.submit(link)
    assert confirmed.status_code == 303 and confirmed.headers["Location"] == "/clerk/"
    with app.app_context():
        assert db.session.get(User, clerk.id).email == "mine@evil.example"


def test_a_staff_account_nobody_has_used_yet_takes_a_corrected_address_at_once(app, client, make_user):
    admin = make_user(Role.ADMIN)
    client.login(admin.email)
    client.submit("/admin/users/new", {"full_name": "Ewa Drogowa", "email": "ewa@um.krosno.pl.pl", "roles": "clerk",
                                       "department": "DR"})
    with app.app_context():
        new = db.session.scalar(select(User).where(User.email == "ewa@um.krosno.pl.pl"))
    client.submit(f"/admin/users/{new.id}", {"full_name": "Ewa Drogowa", "email": "ewa@um.krosno.pl",
                                             "roles": "clerk", "department": "DR"})
    with app.app_context():
        assert db.session.get(User, new.id).email == "ewa@um.krosno.pl"
