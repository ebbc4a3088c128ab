"""An administrator previews a definition (published, a file of the definitions folder, pasted) and walks it as a
citizen would: the same pages, errors and summary, both languages; "send" files nothing."""
from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pytest
import yaml
from markupsafe import escape
from sqlalchemy import func, select

from eurzad.auth.models import Role
from eurzad.cases.models import DefinitionSnapshot
from eurzad.extensions import db
from eurzad.previews.models import Preview
from eurzad.timeutil import utcnow

from .test_attachments import png

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = yaml.safe_load((ROOT / "form_definitions/samples/public-information.yaml").read_text(encoding="utf-8"))
KEPT = {"users", "user_roles", "audit_events", "office_certificates", "previews"}
"""The tables a preview may leave rows in (the administrator's account and log-in, and the preview itself)."""

PASTED = """\
# yaml-language-server: $schema=../platform/eurzad/engine/schemas/form-definition.schema.json
id: dog-licence
version: 1
title: {pl: Rejestracja psa, en: Dog registration}
service:
  department: GK
  jrwa: "6220"
  legal_basis: {pl: Uchwała Rady Miasta, en: Resolution of the City Council}
  fee: {pl: Bezpłatnie, en: Free}
  deadline: {days: 14}
workflow: standard
schema:
  type: object
  additionalProperties: false
  required: [dog_name, chipped]
  properties:
    dog_name: {type: string, minLength: 2, maxLength: 50}
    chipped: {type: boolean}
    chip_number: {type: string, pattern: "^[0-9]{15}$", maxLength: 15}
ui:
  pages:
    - id: dog
      fields: [dog_name]
    - id: chip
      title: {pl: Czip, en: Chip}
      fields: [chipped, chip_number]
  fields:
    dog_name:
      label: {pl: Imię psa, en: "The dog's name"}
      errors:
        required: {pl: Wpisz imię psa, en: "Enter the dog's name"}
    chipped:
      label: {pl: "Czy pies ma czip?", en: "Is the dog chipped?"}
      widget: radios
    chip_number:
      label: {pl: Numer czipa, en: Chip number}
      visible_if: {field: chipped, equals: true}
      required_if: {field: chipped, equals: true}
"""


@pytest.fixture()
def admin(client, make_user):
    """A client logged in as an administrator (the user is `admin.user`)."""
    client.user = make_user(Role.ADMIN)
    client.login(client.user.email)
    return client


def counts(app) -> dict[str, int]:
    """Rows of every table but KEPT: what a preview must never write."""
    with app.app_context():
        return {table.name: db.session.scalar(select(func.count()).select_from(table))
                for table in db.metadata.sorted_tables if table.name not in KEPT}


def start(admin, url: str, data: dict) -> str:
    """Open a preview; the address of its start page."""
    response = admin.submit(url, data, token_from="/admin/previews/")
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return response.headers["Location"]


def first_page(admin, start_page: str) -> str:
    page = admin.get(start_page).get_data(as_text=True)
    return re.search(r'href="([^"]+/pages/[^"]+)"', page).group(1)


def field_error(page: str, field_id: str) -> str:
    """The error line shown by a question."""
    return re.search(rf'id="{field_id}-error" class="error-message">(.*?)</p>', page).group(1)


def summary_links(page: str) -> list[str]:
    summary = page[page.index('class="error-summary"'):]
    return re.findall(r'<a href="([^"]+)">(.*?)</a>', summary[:summary.index("</ul>")])


def test_a_shipped_form_is_walked_as_a_citizen_would_and_sending_files_nothing(app, admin):
    before = counts(app)
    start_page = start(admin, "/admin/previews/published", {"form_id": "public-information"})
    shown = admin.get(start_page).get_data(as_text=True)
    assert "Preview — nothing will be sent" in shown or "Podgląd — nic nie zostanie wysłane" in shown
    assert 'role="region"' in shown and "Informacje o usłudze" in shown and "Wydział Organizacyjny" in shown  # the card
    first = first_page(admin, start_page)

    refused = admin.submit(first, {})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and page.count("<title>Błąd: ") == 1
    assert field_error(page, "information_requested").endswith("Opisz, jakiej informacji potrzebujesz")
    assert ("#information_requested", "Opisz, jakiej informacji potrzebujesz") in summary_links(page)

    summary = admin.answer_pages(first, SAMPLE["post"])
    assert isinstance(summary, str) and summary.endswith("/check"), summary
    check = admin.get(summary).get_data(as_text=True)
    assert "Sprawdź odpowiedzi przed wysłaniem" in check and "Jan Kowalski" in check
    sent = admin.submit(summary)
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/sent")
    outcome = admin.get(sent.headers["Location"]).get_data(as_text=True)
    assert "FN.1431.N." in outcome  # where the sample says it goes, in the register it would take a number from
    rows = outcome[outcome.index('class="routing-rows"'):outcome.index("</ol>", outcome.index('class="routing-rows"'))]
    assert rows.count("<li class=\"routing-rows__row") == 2 and rows.count("routing-rows__row--winner") == 1
    assert "Wydział Budżetu i Finansów" in rows and "ten wiersz wygrywa" in rows
    receipt = admin.get(start_page + "/receipt").get_data(as_text=True)
    assert "FN.1431.N." in receipt and "Jan Kowalski" not in receipt.split("Nadawca")[0]
    assert counts(app) == before == {name: 0 for name in before}
    assert {"cases", "submissions", "receipts", "outbox_messages", "drafts", "case_counters", "attachments",
            "definition_snapshots", "case_events"} <= set(before)


def test_the_preview_speaks_english_through_the_language_switch(admin):
    first = first_page(admin, start(admin, "/admin/previews/published", {"form_id": "public-information"}))
    assert admin.get(first + "?lang=en").status_code == 303
    page = admin.submit(first, {}).get_data(as_text=True)
    assert "<title>Error: What information do you need?" in page and "There is a problem" in page
    assert "Preview — nothing will be sent" in page
    assert field_error(page, "information_requested").endswith("Describe the information you need")
    assert ("#information_requested", "Describe the information you need") in summary_links(page)


def test_an_unpublished_pasted_definition_is_walked_with_its_condition_and_sent_nowhere(app, admin):
    first = first_page(admin, start(admin, "/admin/previews/pasted", {"text": PASTED.replace("\n", "\r\n")}))
    assert "Imię psa" in admin.get(first).get_data(as_text=True)
    chip = admin.submit(first, {"dog_name": "Burek"}).headers["Location"]
    page = admin.submit(chip, {"chipped": "yes"}).get_data(as_text=True)  # chipped, and no number: required_if
    assert field_error(page, "chip_number") and summary_links(page)[0][0] == "#chip_number"
    summary = admin.submit(chip, {"chipped": "yes", "chip_number": "616093900000123"}).headers["Location"]
    assert "616093900000123" in admin.get(summary).get_data(as_text=True)
    outcome = admin.get(admin.submit(summary).headers["Location"]).get_data(as_text=True)
    assert "GK.6220.N." in outcome and "&#34;dog_name&#34;: &#34;Burek&#34;" in outcome
    assert set(counts(app).values()) == {0}
    with app.app_context():
        preview = db.session.scalar(select(Preview))
        assert "\r" not in preview.text and preview.sent_at is not None  # the text as a file holds it


def test_a_file_in_a_preview_is_checked_and_named_but_not_kept(app, admin):
    text = (ROOT / "tests/definitions/letter.yaml").read_text(encoding="utf-8")
    first = first_page(admin, start(admin, "/admin/previews/pasted", {"text": text}))
    refused = admin.submit_files(first, {"subject": "Pismo", "scan": (io.BytesIO(b"not a picture"), "a.png")})
    assert refused.status_code == 400
    image = png(3, 3)
    summary = admin.submit_files(first, {"subject": "Pismo", "scan": (io.BytesIO(image), "skan.png")})
    assert summary.status_code == 303
    assert "skan.png" in admin.get(summary.headers["Location"]).get_data(as_text=True)
    page = admin.get(first).get_data(as_text=True)
    assert "skan.png" in page and "/files/" not in page  # named, with nothing to download
    outcome = admin.get(admin.submit(summary.headers["Location"]).headers["Location"]).get_data(as_text=True)
    assert hashlib.sha256(image).hexdigest() in outcome
    assert counts(app)["attachments"] == 0


@pytest.mark.parametrize(("text", "line"), [
    ("id: broken\ntitle: [unclosed\n", "line 3: YAML syntax error"),
    (PASTED.replace("version: 1", "version: one"), "line 3: version: &#39;one&#39; is not of type &#39;integer&#39;"),
    (PASTED.replace("department: GK", "department: XX"), "line 6: department &#39;XX&#39; is not in workflows"),
])
def test_a_definition_with_problems_comes_back_with_each_line_the_check_names(admin, text, line):
    admin.get("/admin/previews/?lang=en")
    response = admin.submit("/admin/previews/pasted", {"text": text})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and line in page, re.findall(r"line \d+: [^<]*", page)
    assert page.count("The check found") == 1 and 'href="#text"' in page
    assert f"{escape(text.splitlines()[1])}" in page.split("<textarea")[1]  # the text is kept, to correct


def test_a_paste_over_one_megabyte_is_refused_with_413(admin):
    response = admin.submit("/admin/previews/pasted", {"text": PASTED + "#" * (2 * 1024 * 1024)})
    assert response.status_code == 413


def test_a_file_of_the_definitions_folder_not_loaded_yet_is_previewed(another_app, make_user, tmp_path):
    defs = tmp_path / "defs"
    defs.mkdir()
    (defs / "public-information.yaml").write_text(
        (ROOT / "form_definitions/public-information.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    client = another_app(DEFINITIONS_DIR=str(defs)).test_client()
    client.login(make_user(Role.ADMIN).email)
    (defs / "dog-licence.yaml").write_text(PASTED, encoding="utf-8")  # written after the app started
    assert "dog-licence.yaml" in client.get("/admin/forms/").get_data(as_text=True)
    start_page = start(client, "/admin/previews/file", {"path": "dog-licence.yaml"})
    assert "Rejestracja psa" in client.get(start_page).get_data(as_text=True)
    (defs / "bad.yaml").write_text("id: [\n", encoding="utf-8")
    response = client.submit("/admin/previews/file", {"path": "bad.yaml"}, token_from="/admin/previews/")
    assert response.status_code == 400 and "bad.yaml:2: YAML syntax error" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["../tests/definitions/reply.yaml", str(ROOT / "tests/definitions/reply.yaml"),
                                  "samples/../../tests/definitions/reply.yaml", "/etc/passwd", "no-such-form.yaml",
                                  "samples"])
def test_a_path_outside_the_definitions_folder_or_not_a_definition_file_is_refused(admin, path):
    """reply.yaml is a good definition, but outside the folder: never read."""
    response = admin.submit("/admin/previews/file", {"path": path}, token_from="/admin/previews/")
    page = response.get_data(as_text=True)
    assert response.status_code == 400, response.headers.get("Location")
    assert "W folderze definicji nie ma pliku definicji o tej nazwie" in page and "root:" not in page


def test_a_preview_is_its_administrators_only(admin, client, make_user, app):
    start_page = start(admin, "/admin/previews/published", {"form_id": "fault-report"})
    other = app.test_client()
    other.login(make_user(Role.ADMIN).email)
    assert other.get(start_page).status_code == 404
    assert other.get(first_page(admin, start_page)).status_code == 404


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.CLERK, Role.FRONT_DESK])
def test_only_administrators_preview(client, make_user, role, admin_preview):
    client.login(make_user(role, department="OR" if role == Role.CLERK else None).email)
    assert client.get("/admin/previews/").status_code == 403
    assert client.get(admin_preview).status_code == 403
    assert client.submit("/admin/previews/pasted", {"text": PASTED}, token_from="/").status_code == 403


@pytest.fixture()
def admin_preview(app, make_user) -> str:
    """The start page of a preview an administrator opened (in a client of their own)."""
    own = app.test_client()
    own.login(make_user(Role.ADMIN).email)
    return start(own, "/admin/previews/published", {"form_id": "public-information"})


def test_a_sent_preview_shows_what_would_have_happened_and_can_start_again(admin):
    start_page = start(admin, "/admin/previews/pasted", {"text": PASTED})
    first = first_page(admin, start_page)
    summary = admin.answer_pages(first, {"dog_name": "Burek", "chipped": "no"})
    assert admin.submit(summary).status_code == 303
    assert admin.get(first).headers["Location"].endswith("/sent")  # over: its pages lead to the outcome
    again = admin.submit(start_page + "/again", token_from=start_page + "/sent")
    assert again.status_code == 303 and again.headers["Location"] != start_page
    assert "Rejestracja psa" in admin.get(again.headers["Location"]).get_data(as_text=True)


def test_a_stored_version_is_previewed_from_its_text_or_comes_back_to_correct(app, admin):
    with app.app_context():
        for sha, text in (("b" * 64, PASTED), ("c" * 64, PASTED.replace("version: 1", "version: one"))):
            db.session.add(DefinitionSnapshot(sha256=sha, form_id="dog-licence", version=1, text=text,
                                              created_at=utcnow()))
        db.session.commit()
    start_page = start(admin, f"/admin/previews/stored/{'b' * 64}", {})
    assert "Przechowywana wersja formularza dog-licence:1." in admin.get(start_page).get_data(as_text=True)
    refused = admin.submit(f"/admin/previews/stored/{'c' * 64}", token_from="/admin/previews/")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "wiersz 3: version: " in page and "version: one" in page.split("<textarea")[1]
    assert admin.submit(f"/admin/previews/stored/{'d' * 64}", token_from="/admin/previews/").status_code == 404
