"""A changed definition never re-interprets old submissions: they are shown under the labels they were filed with."""
from __future__ import annotations

import shutil
from pathlib import Path

from eurzad.auth.models import Role

from .test_citizen_journey import send

ROOT = Path(__file__).resolve().parents[2]


def test_old_submissions_keep_the_labels_of_their_version(another_app, client, make_user, tmp_path):
    citizen, clerk = make_user(), make_user(Role.CLERK, department="OR")
    client.login(citizen.email)
    case_id = send(client)

    defs = tmp_path / "defs"
    shutil.copytree(ROOT / "form_definitions", defs)
    path = defs / "public-information.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("version: 2", "version: 3")
                        .replace("{pl: Pocztą, en: By post}", "{pl: Listem poleconym, en: By registered post}")
                        .replace("label: {pl: Kod pocztowy, en: Postcode}", "label: {pl: Kod, en: Code}"),
                    encoding="utf-8")
    browser = another_app(DEFINITIONS_DIR=str(defs)).test_client()
    browser.login(clerk.email)
    page = browser.get(f"/clerk/cases/{case_id}").get_data(as_text=True)
    assert "wersja 2" in page
    assert "Pocztą" in page and "Listem poleconym" not in page
    assert "Kod pocztowy" in page
    new_form = browser.application.extensions["eurzad.registry"].forms["public-information"]
    assert new_form.version == 3


def test_a_snapshot_this_engine_cannot_read_still_shows_its_data(app, client, make_user):
    from sqlalchemy import update

    from eurzad.cases.models import DefinitionSnapshot
    from eurzad.extensions import db
    citizen, clerk = make_user(), make_user(Role.CLERK, department="OR")
    client.login(citizen.email)
    case_id = send(client)
    with app.app_context():
        db.session.execute(update(DefinitionSnapshot).values(text="format: from the future\n"))
        db.session.commit()
    registry = app.extensions["eurzad.registry"]
    app.extensions["eurzad.registry"] = type(registry)(forms={}, workflows=registry.workflows)
    try:
        client.post("/logout", data={"csrf_token": client.csrf_token()})
        client.login(clerk.email)
        response = client.get(f"/clerk/cases/{case_id}")
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "information_requested" in page and "rejestr umów" in page
        why_here = page[page.index('id="why-here"'):page.index("</details>", page.index('id="why-here"'))]
        assert "nie da się już odczytać" in why_here and "Wiersz" not in why_here  # no routing rows made up
        assert client.get(f"/cases/{case_id}/receipt").status_code == 200
    finally:
        app.extensions["eurzad.registry"] = registry
