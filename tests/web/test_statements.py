"""What a citizen's pages cost the database (issue 11, item 7): a draft's page is one statement, shown or sent
back with its errors, whoever holds the draft; the confirmed identity still fills it in."""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from eurzad.extensions import db

from .test_identity_answers import PUBLIC_INFORMATION, reach


@contextmanager
def statements(app) -> Iterator[list[str]]:
    """The SQL statements sent while the block runs (BEGIN and COMMIT aside)."""
    sent: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        sent.append(statement)
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", count)


def test_a_confirmed_citizens_draft_page_is_one_statement_and_shows_the_accounts_name(app, client,
                                                                                       make_confirmed_citizen):
    client.login(make_confirmed_citizen().email)
    page_url = reach(client, "public-information", "contact", PUBLIC_INFORMATION)
    with statements(app) as sent:
        page = client.get(page_url).get_data(as_text=True)
    assert len(sent) == 1, sent  # the draft, its holder's account and roles, and whether the identity is confirmed
    assert 'name="full_name"' not in page and '<p class="prefilled__value">Zofia Wiśniewska</p>' in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    with statements(app) as sent:
        response = client.post(page_url, data={"email": "not an address", "csrf_token": token})
    assert response.status_code == 400 and "Zofia Wiśniewska" in response.get_data(as_text=True)
    assert len(sent) == 1, sent  # nothing is written for a page sent back with its errors


def test_an_unconfirmed_citizens_page_is_one_statement_and_asks_for_the_name(app, citizen_client,
                                                                            make_confirmed_citizen):
    make_confirmed_citizen()  # someone else's confirmed identity confirms nobody else's
    location = citizen_client.start("public-information")
    with statements(app) as sent:
        page = citizen_client.get(location).get_data(as_text=True)
    assert len(sent) == 1, sent
    page_url = reach(citizen_client, "public-information", "contact", PUBLIC_INFORMATION)
    assert 'name="full_name"' in citizen_client.get(page_url).get_data(as_text=True)
    assert 'name="information_requested"' in page


def test_a_visitors_draft_page_is_one_statement(app, client):
    location = client.start("fault-report")
    with statements(app) as sent:
        assert client.get(location).status_code == 200
    assert len(sent) == 1, sent


def test_the_confirmation_after_sending_is_three_statements(app, citizen_client):
    sent = citizen_client.send_form("public-information", PUBLIC_INFORMATION | {"full_name": "Jan Kowalski",
                                                                                "email": "jan@example.pl"})
    with statements(app) as sent_now:
        page = citizen_client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Formularz wysłany" in page and re.search(r'<strong class="case-number">OR\.', page)
    assert len(sent_now) == 3, sent_now  # the user; the case with its filing; its log (for the answer's due date)
