"""The front desk beyond the first visit: it finds active accounts too, gives access back after a new ID check
(correcting the e-mail address), reopens a rejected registration; registrations expire; the registration page
survives a reload and its code is e-mailed; slips carry the office's public address."""
from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import select, update

from eurzad.audit.models import AuditEvent
from eurzad.auth.models import IdentityCheck, Role, Status, User
from eurzad.cli import main
from eurzad.extensions import db
from eurzad.outbox.models import OutboxMessage
from eurzad.timeutil import utcnow

from .test_identity import NEW_PASSWORD, PESEL, REGISTRATION, register

SLIP_CODE = re.compile(r'case-number">([A-Z0-9]{4}-[A-Z0-9]{4})<')
ID_CHECK = {"verify-document_type": "passport", "verify-document_suffix": "ab12", "verify-matches": "y"}
SECOND_PASSWORD = "czerwone jabłka w koszyku"


def front_desk(app, make_user):
    desk = app.test_client()
    desk.login(make_user(Role.FRONT_DESK, department="BOI").email)
    return desk


def account_url(desk, query: str) -> str:
    found = desk.get(f"/front-desk/?q={query}").get_data(as_text=True)
    return re.search(r'href="(/front-desk/registrations/\d+)"', found).group(1)


def activate(client, code: str, password: str = NEW_PASSWORD):
    return client.submit("/activate", {"login": PESEL, "code": code, "password": password, "confirm": password})


def can_log_in(app, password: str) -> bool:
    return app.test_client().submit("/login", {"login": PESEL, "password": password}).status_code == 303


def active_citizen(app, client, desk) -> str:
    """Zofia registers, is checked at the front desk and activates her account; its page at the front desk."""
    register(client)
    url = account_url(desk, PESEL)
    page = desk.submit(f"{url}/verify", {**ID_CHECK, "verify-document_type": "id_card"}, token_from=url)
    assert activate(client, SLIP_CODE.search(page.get_data(as_text=True)).group(1)).status_code == 303
    return url


def actions(app) -> list[str]:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.pesel == PESEL))
        return [e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.subject_id == user.id)
                                                     .order_by(AuditEvent.id))]


def test_the_front_desk_finds_an_active_account_by_pesel_name_or_e_mail_but_never_staff(app, client, make_user):
    desk = front_desk(app, make_user)
    url = active_citizen(app, client, desk)
    assert "Zofia Wiśniewska" not in desk.get("/front-desk/").get_data(as_text=True)  # not waiting any more
    for query in (PESEL, "wiśniew", "ZOFIA@example.pl"):
        found = desk.get(f"/front-desk/?q={query}").get_data(as_text=True)
        assert f'href="{url}"' in found and "Konto aktywne" in found, query
    clerk = make_user(Role.CLERK, department="OR", email="urzednik@example.pl")
    with app.app_context():  # a clerk who also files forms as a citizen is still staff
        user = db.session.get(User, clerk.id)
        user.set_roles({Role.CLERK, Role.CITIZEN})
        db.session.commit()
    staff = desk.get("/front-desk/?q=urzednik@example.pl").get_data(as_text=True)
    assert "Żadna rejestracja ani konto nie pasuje." in staff and "/front-desk/registrations/" not in staff
    assert desk.get(f"/front-desk/registrations/{clerk.id}").status_code == 404


def test_a_citizen_who_lost_access_gets_a_new_code_after_an_id_check_and_the_old_password_stops_working(
        app, client, make_user):
    desk = front_desk(app, make_user)
    url = active_citizen(app, client, desk)
    app.test_client().submit("/password/forgot", {"login": PESEL})  # a reset link went to the old mailbox
    with app.app_context():
        reset_link = re.search(r"(/password/reset/\S+)", db.session.scalars(select(OutboxMessage.body)).all()[-1])[1]
    client.login(PESEL, NEW_PASSWORD)  # still logged in somewhere, say at home
    page = desk.get(url).get_data(as_text=True)
    assert "Pomoc w dostępie do konta" in page and "Obecne hasło od razu przestaje działać" in page

    missing = desk.submit(f"{url}/code", {"verify-state": "active"}, token_from=url)
    assert missing.status_code == 400 and "Wybierz okazany dokument" in missing.get_data(as_text=True)
    slip = desk.submit(f"{url}/code", {**ID_CHECK, "verify-state": "active"}, token_from=url).get_data(as_text=True)
    code = SLIP_CODE.search(slip).group(1)
    assert "http://127.0.0.1:5000/activate" in slip  # SITE_URL, not the address the clerk's browser used

    assert not can_log_in(app, NEW_PASSWORD)  # the old password no longer works
    assert client.get("/cases/").status_code == 302  # and the session it had is over
    assert app.test_client().get(reset_link).status_code == 410  # and the reset link sent before
    assert activate(client, code, SECOND_PASSWORD).status_code == 303
    assert can_log_in(app, SECOND_PASSWORD)
    assert actions(app) == ["user.register", "identity.verify", "activation.issue", "user.activate",
                            "password.reset_requested", "identity.verify", "password.clear", "activation.issue",
                            "user.activate"]
    with app.app_context():
        checks = db.session.scalars(select(IdentityCheck).order_by(IdentityCheck.id)).all()
        assert [(c.document_type, c.document_suffix) for c in checks] == [("id_card", "AB12"), ("passport", "AB12")]
    history = desk.get(url).get_data(as_text=True)
    assert "Hasło unieważnione w biurze obsługi po sprawdzeniu dokumentu" in history


def test_a_page_left_open_while_the_account_moved_on_does_nothing(app, client, make_user):
    desk = front_desk(app, make_user)
    url = active_citizen(app, client, desk)
    stale = desk.submit(f"{url}/code", {**ID_CHECK, "verify-state": "verified"}, token_from=url)
    assert stale.status_code == 409 and "Ta rejestracja została już rozpatrzona" in stale.get_data(as_text=True)
    assert can_log_in(app, NEW_PASSWORD)


def test_the_front_desk_corrects_the_e_mail_address_with_the_id_check_unless_another_account_has_it(
        app, client, make_user):
    desk = front_desk(app, make_user)
    url = active_citizen(app, client, desk)
    make_user(email="zajety@example.pl")
    taken = desk.submit(f"{url}/code", {**ID_CHECK, "verify-state": "active", "verify-email": "Zajety@example.pl"},
                        token_from=url)
    assert taken.status_code == 400 and "Konto z tym adresem e-mail już istnieje" in taken.get_data(as_text=True)
    assert can_log_in(app, NEW_PASSWORD)  # nothing was done
    with app.app_context():
        assert len(db.session.scalars(select(IdentityCheck)).all()) == 1
    slip = desk.submit(f"{url}/code", {**ID_CHECK, "verify-state": "active", "verify-email": "Zofia.Nowa@example.pl"},
                       token_from=url)
    assert slip.status_code == 200 and SLIP_CODE.search(slip.get_data(as_text=True))
    with app.app_context():
        user = db.session.scalar(select(User).where(User.pesel == PESEL))
        assert user.email == "zofia.nowa@example.pl"
        change = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.change"))
        assert change.details == {"email": ["zofia@example.pl", "zofia.nowa@example.pl"]}


def test_a_rejected_registration_can_be_reopened_and_then_confirmed(app, client, make_user):
    register(client)
    desk = front_desk(app, make_user)
    url = account_url(desk, PESEL)
    desk.submit(f"{url}/reject", {"reject-reason": "Dowód osobisty stracił ważność."}, token_from=url)
    page = desk.get(url).get_data(as_text=True)
    assert "Odrzucona: nie potwierdzono tożsamości" in page and "Potwierdź tożsamość" not in page
    assert account_url(desk, PESEL) == url  # a search still finds it
    empty = desk.submit(f"{url}/reopen", {"reopen-reason": ""}, token_from=url)
    assert empty.status_code == 400 and "Wpisz powód" in empty.get_data(as_text=True)
    reopened = desk.submit(f"{url}/reopen", {"reopen-reason": "Przyszła z nowym dowodem."}, token_from=url)
    assert reopened.status_code == 200 and "Czeka na sprawdzenie dokumentu, do" in reopened.get_data(as_text=True)
    slip = desk.submit(f"{url}/verify", ID_CHECK, token_from=url).get_data(as_text=True)
    assert activate(client, SLIP_CODE.search(slip).group(1)).status_code == 303 and can_log_in(app, NEW_PASSWORD)
    assert actions(app) == ["user.register", "identity.reject", "identity.reopen", "identity.verify",
                            "activation.issue", "user.activate"]
    again = desk.submit(f"{url}/reopen", {"reopen-reason": "Jeszcze raz."}, token_from=url)
    assert again.status_code == 409  # an active account is not a registration to reopen


def test_an_expired_registration_cannot_be_confirmed_says_so_and_does_not_block_a_new_one(app, client, make_user):
    first_code = register(client)
    with app.app_context():
        db.session.execute(update(User).where(User.pesel == PESEL)
                           .values(registration_expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    desk = front_desk(app, make_user)
    url = account_url(desk, first_code)
    page = desk.get(url).get_data(as_text=True)
    assert "Rejestracja wygasła" in page and "nie można jej już potwierdzić" in page
    assert 'action="' + url + '/verify"' not in page and "Otwórz rejestrację ponownie" in page
    refused = desk.submit(f"{url}/verify", ID_CHECK, token_from=url)
    assert refused.status_code == 409 and "Ta rejestracja wygasła" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.pesel == PESEL)).status == Status.PENDING

    second_code = register(app.test_client())  # the same PESEL and e-mail: the expired one does not count
    assert second_code != first_code
    with app.app_context():
        [user] = db.session.scalars(select(User).where(User.pesel == PESEL)).unique().all()
        assert user.registration_code == second_code
        expired = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.expire"))
        assert expired.subject_id is None and expired.details["code"] == first_code


def test_eurzad_registrations_purge_deletes_only_registrations_past_their_last_day(app, client, make_user):
    register(client)
    register(app.test_client(), pesel="02070803628", email="jan.nowak@example.pl", full_name="Jan Nowak")
    with app.app_context():
        db.session.execute(update(User).where(User.pesel == PESEL)
                           .values(registration_expires_at=utcnow() - timedelta(days=1)))
        db.session.commit()
    result = CliRunner().invoke(main, ["registrations", "purge"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0 and "Deleted 1 expired registration(s)." in result.output
    with app.app_context():
        assert db.session.scalars(select(User.pesel).where(User.pesel.is_not(None))).all() == ["02070803628"]
        assert db.session.scalar(select(AuditEvent.details).where(AuditEvent.action == "user.expire"))["code"]


def test_reloading_the_registration_page_still_shows_the_code_and_the_code_is_e_mailed(app, client):
    code = register(client)
    for _ in range(2):  # the page after registering, then a reload
        page = client.get("/register/done").get_data(as_text=True)
        assert code in page and "Przyjdź najpóźniej" in page and "http://127.0.0.1:5000/activate" in page
    assert app.test_client().get("/register/done").status_code == 303  # another browser: nothing to show
    with app.app_context():
        [message] = db.session.scalars(select(OutboxMessage)).all()
    assert message.recipient == REGISTRATION["email"] and code in message.body
    assert "http://127.0.0.1:5000/activate" in message.body and "Przyjdź najpóźniej" in message.body


def test_a_registration_made_on_1_march_waits_to_the_end_of_31_march_in_office_time():
    from datetime import datetime

    from eurzad.timeutil import days_later, last_day
    made = datetime(2027, 3, 1, 9, 30)  # UTC, 10:30 in Krosno
    end = days_later(made, 30, "Europe/Warsaw")
    assert end == datetime(2027, 3, 31, 22, 0)  # midnight after 31 March, summer time (UTC+2) by then
    assert last_day(end, "Europe/Warsaw").isoformat() == "2027-03-31"
    late_evening = datetime(2027, 3, 1, 23, 30)  # UTC, already 2 March in Krosno
    assert last_day(days_later(late_evening, 30, "Europe/Warsaw"), "Europe/Warsaw").isoformat() == "2027-04-01"


def test_an_expired_registration_reopened_at_the_desk_gets_new_days_and_can_be_confirmed(app, client, make_user):
    register(client)
    with app.app_context():
        db.session.execute(update(User).where(User.pesel == PESEL)
                           .values(registration_expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    desk = front_desk(app, make_user)
    url = account_url(desk, PESEL)
    page = desk.submit(f"{url}/reopen", {"reopen-reason": "Przyszła dzień po terminie."}, token_from=url)
    assert "Czeka na sprawdzenie dokumentu, do" in page.get_data(as_text=True)
    slip = desk.submit(f"{url}/verify", ID_CHECK, token_from=url)
    assert slip.status_code == 200 and SLIP_CODE.search(slip.get_data(as_text=True))


def test_a_reason_of_spaces_alone_is_refused_next_to_its_field_and_nothing_is_recorded(app, client, make_user):
    register(client)
    desk = front_desk(app, make_user)
    url = account_url(desk, PESEL)
    for blank in ("   ", "\r\n\t "):
        refused = desk.submit(f"{url}/reject", {"reject-reason": blank}, token_from=url)
        page = refused.get_data(as_text=True)
        assert refused.status_code == 400 and "Wpisz powód" in page and 'href="#reject-reason"' in page
    assert actions(app) == ["user.register"]
    desk.submit(f"{url}/reject", {"reject-reason": "Dowód osobisty stracił ważność."}, token_from=url)
    refused = desk.submit(f"{url}/reopen", {"reopen-reason": " \n "}, token_from=url)
    assert refused.status_code == 400 and 'href="#reopen-reason"' in refused.get_data(as_text=True)
    assert actions(app) == ["user.register", "identity.reject"]
    with app.app_context():
        check = db.session.scalar(select(IdentityCheck).where(IdentityCheck.outcome == "rejected"))
        assert check.reason == "Dowód osobisty stracił ważność."


def test_the_operations_refuse_a_blank_reason_from_any_caller(app, client, make_user):
    from eurzad.frontdesk.operations import reject_identity
    from eurzad.refusals import RefusedError
    register(client)
    desk = make_user(Role.FRONT_DESK, department="BOI")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.pesel == PESEL))
        try:
            reject_identity(user, db.session.get(User, desk.id), "  ", utcnow())
        except RefusedError as refused:
            assert refused.status == 400
        else:
            raise AssertionError("a blank reason was stored")
        assert user.status == Status.PENDING


def pressed(desk, url: str) -> dict[str, str]:
    """The hidden fields of the ID-check form on the registration's page, as the browser sends them back."""
    page = desk.get(url).get_data(as_text=True)
    return {name: re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page)[1]
            for name in ("verify-state", "verify-press")}


def test_pressing_verify_twice_gives_one_code_that_works(app, client, make_user):
    register(client)
    desk = front_desk(app, make_user)
    url = account_url(desk, PESEL)
    form = {**ID_CHECK, **pressed(desk, url)}
    first = desk.submit(f"{url}/verify", form, token_from=url).get_data(as_text=True)
    second = desk.submit(f"{url}/verify", form, token_from=url)  # a double click: the browser shows this answer
    assert second.status_code == 200
    code = SLIP_CODE.search(second.get_data(as_text=True)).group(1)
    assert SLIP_CODE.search(first).group(1) == code
    assert actions(app) == ["user.register", "identity.verify", "activation.issue"]
    assert activate(client, code).status_code == 303 and can_log_in(app, NEW_PASSWORD)


def test_pressing_new_code_twice_gives_one_code_and_an_older_tab_spoils_no_slip(app, client, make_user):
    desk = front_desk(app, make_user)
    url = active_citizen(app, client, desk)
    older_tab = {**ID_CHECK, **pressed(desk, url)}
    form = {**ID_CHECK, **pressed(desk, url)}
    slips = [desk.submit(f"{url}/code", form, token_from=url).get_data(as_text=True) for _ in range(2)]
    code = SLIP_CODE.search(slips[1]).group(1)
    assert SLIP_CODE.search(slips[0]).group(1) == code
    late = desk.submit(f"{url}/code", older_tab, token_from=url)
    assert late.status_code == 409 and "wydano już kod aktywacyjny" in late.get_data(as_text=True)
    assert activate(client, code, SECOND_PASSWORD).status_code == 303 and can_log_in(app, SECOND_PASSWORD)
    assert actions(app).count("activation.issue") == 2  # the first visit's and one new code


def test_two_presses_arriving_at_once_issue_one_code_on_postgresql(app, client, make_user):
    """A double click sends the second request before the first has answered: the account's row is locked while
    a code is issued, so the second waits and shows the first's code (PostgreSQL: SQLite has no row locks)."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("row locks are PostgreSQL's; a SQLite office has one writer at a time")
    register(client)
    desk = front_desk(app, make_user)
    url = account_url(desk, PESEL)
    form = {**ID_CHECK, **pressed(desk, url), "csrf_token": desk.csrf_token(url)}
    tabs = [app.test_client() for _ in range(2)]
    for tab in tabs:
        tab.set_cookie("session", desk.get_cookie("session").value)
    start, slips = threading.Barrier(2), []

    def press(tab):
        start.wait()
        slips.append(tab.post(f"{url}/verify", data=form).get_data(as_text=True))
    threads = [threading.Thread(target=press, args=(tab,)) for tab in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = {SLIP_CODE.search(slip).group(1) for slip in slips}
    assert len(codes) == 1 and actions(app).count("activation.issue") == 1
    assert activate(client, codes.pop()).status_code == 303
