"""The administrator's pages of the office's form definitions: every form with its facts, its versions filed
(with their cases) and what the check finds now; a form's page with its routing rows; a stored version's text."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import event

from eurzad.auth.models import Role
from eurzad.cases.models import DefinitionSnapshot
from eurzad.extensions import db
from eurzad.timeutil import utcnow

from .test_citizen_journey import VALID
from .test_previews import PASTED

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(path.stem for path in (ROOT / "form_definitions").glob("*.yaml"))
VERSION = yaml.safe_load((ROOT / "form_definitions/public-information.yaml").read_text(encoding="utf-8"))["version"]


@pytest.fixture()
def admin(client, make_user):
    client.login(make_user(Role.ADMIN).email)
    return client


def row(page: str, form_id: str) -> str:
    """The table row of a form in the list."""
    start = page.index(f"<code>{form_id}</code>")
    return page[page.rfind("<tr>", 0, start):page.index("</tr>", start)]


def test_the_list_shows_every_shipped_form_with_its_facts_and_its_cases_by_version(app, admin, make_user):
    citizen = app.test_client()
    citizen.login(make_user().email)
    for _ in range(2):
        assert citizen.send_form("public-information", VALID).status_code == 303
    page = admin.get("/admin/forms/").get_data(as_text=True)
    for form_id in SHIPPED:
        assert f'href="/admin/forms/{form_id}"' in page, form_id
    filed = row(page, "public-information")
    assert "Wniosek o udostępnienie informacji publicznej" in filed and "OR – Wydział Organizacyjny" in filed
    assert "public-information" in filed and f"wersja {VERSION}</a>: 2 sprawy" in filed and "brak problemów" in filed
    assert "brak spraw" in row(page, "fault-report") and ">fault-report</td>" in row(page, "fault-report")
    english = admin.get("/admin/forms/?lang=en") and admin.get("/admin/forms/").get_data(as_text=True)
    assert "Request for access to public information" in english and f"version {VERSION}</a>: 2 cases" in english


def test_the_versions_and_their_cases_are_counted_in_one_query(app, admin, make_user):
    citizen = app.test_client()
    citizen.login(make_user().email)
    citizen.send_form("public-information", VALID)
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert admin.get("/admin/forms/").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    assert len([s for s in statements if "definition_snapshots" in s]) == 1, statements


def test_a_forms_page_has_its_routing_rows_its_versions_and_their_texts_escaped(app, admin, make_user):
    citizen = app.test_client()
    citizen.login(make_user().email)
    citizen.send_form("public-information", VALID)
    page = admin.get("/admin/forms/fault-report").get_data(as_text=True)
    rows = re.findall(r"<tr>\s*<td>(\d) .*?</tr>", page, re.S)
    assert rows == ["1", "2", "3"]  # top to bottom, each with its condition as written and its department
    assert "<code>{field: category, equals: street_light}</code>" in page
    assert "<code>{field: category, in: [pothole, pavement, road_sign]}</code>" in page
    assert "DR.7230" in page and "BOI – Biuro Obsługi Interesantów" in page
    assert "Wydział Drogownictwa" in page and "wszystkie pozostałe" in page  # the catch-all row
    assert 'action="/admin/previews/published"' in page
    with app.app_context():
        db.session.add(DefinitionSnapshot(sha256="a" * 64, form_id="public-information", version=0,
                                          text="title: <script>alert(1)</script> & more\n", created_at=utcnow()))
        db.session.commit()
    versions = admin.get("/admin/forms/public-information").get_data(as_text=True)
    assert f"wersja {VERSION}</a> <span class=\"hint\">(opublikowana obecnie)" in versions and "wersja 0" in versions
    text = admin.get(f"/admin/forms/public-information/versions/{'a' * 64}").get_data(as_text=True)
    assert "<script>alert" not in text and "title: &lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in text
    assert admin.get(f"/admin/forms/fault-report/versions/{'a' * 64}").status_code == 404  # another form's
    assert admin.get("/admin/forms/no-such-form").status_code == 404


def test_the_list_names_a_changed_file_with_its_problems_and_a_new_file_not_loaded(another_app, make_user, tmp_path):
    defs = tmp_path / "defs"
    shutil.copytree(ROOT / "form_definitions", defs)
    client = another_app(DEFINITIONS_DIR=str(defs)).test_client()
    client.login(make_user(Role.ADMIN).email)
    shipped = defs / "tree-removal.yaml"
    shipped.write_text(shipped.read_text(encoding="utf-8").replace("version: ", "version: x", 1), encoding="utf-8")
    (defs / "dog-licence.yaml").write_text(PASTED, encoding="utf-8")
    page = client.get("/admin/forms/").get_data(as_text=True)
    changed = row(page, "tree-removal")
    assert "Plik zmienił się od uruchomienia aplikacji" in changed and "is not of type" in changed
    assert "dog-licence.yaml" in page and 'name="path" value="dog-licence.yaml"' in page
    assert "brak problemów" in row(page, "fault-report")


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.CLERK, Role.HEAD, Role.FRONT_DESK])
def test_only_administrators_see_the_form_definitions(client, make_user, role):
    client.login(make_user(role, department="OR" if role in (Role.CLERK, Role.HEAD) else None).email)
    for url in ("/admin/forms/", "/admin/forms/public-information",
                f"/admin/forms/public-information/versions/{'a' * 64}"):
        assert client.get(url).status_code == 403, url


def test_two_stored_versions_are_compared_with_the_breaking_changes_flagged(app, admin, make_user):
    citizen = app.test_client()
    citizen.login(make_user().email)
    citizen.send_form("public-information", VALID)
    published = (ROOT / "form_definitions/public-information.yaml").read_text(encoding="utf-8")
    field = "full_name: {type: string, minLength: 2, maxLength: %d}"
    older = published.replace(f"version: {VERSION}", "version: 1", 1).replace(field % 200, field % 300)
    assert older != published.replace(f"version: {VERSION}", "version: 1", 1), "the sample text to change is gone"
    with app.app_context():
        db.session.add(DefinitionSnapshot(sha256="b" * 64, form_id="public-information", version=1, text=older,
                                          created_at=utcnow()))
        db.session.commit()
    page = admin.get("/admin/forms/public-information").get_data(as_text=True)
    assert 'action="/admin/forms/public-information/diff"' in page
    compared = admin.get(f"/admin/forms/public-information/diff?old={'b' * 64}&new=current")
    text = compared.get_data(as_text=True)
    assert compared.status_code == 200 and "full_name" in text and "300 → 200" in text
    assert "BREAKING" in text and "może zepsuć" in text
    same = admin.get("/admin/forms/public-information/diff?old=current&new=current").get_data(as_text=True)
    assert "BREAKING" not in same
    assert admin.get("/admin/forms/public-information/diff?old=nope&new=current").status_code == 404
    with app.app_context():
        db.session.add(DefinitionSnapshot(sha256="c" * 64, form_id="public-information", version=0,
                                          text="id: [broken\n", created_at=utcnow()))
        db.session.commit()
    broken = admin.get(f"/admin/forms/public-information/diff?old={'c' * 64}&new=current")
    assert broken.status_code == 422 and "YAML syntax error" in broken.get_data(as_text=True)
