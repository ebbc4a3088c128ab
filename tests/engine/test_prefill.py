"""Answers from the account: `eurzad forms check` refuses a source a question cannot take, and the engine
fills identity answers only for a confirmed account (decision 0028)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from eurzad.engine.definitions import check, definition_files
from eurzad.engine.prefill import SOURCES, Account, with_answers

from .test_definition_check import line_of

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / "workflows.yaml"
FORM = """\
id: probe
version: 1
title: {pl: Próba, en: Probe}
service:
  department: BOI
  jrwa: "0150"
  legal_basis: {pl: Kpa, en: Kpa}
  fee: {pl: Bezpłatnie, en: Free}
  deadline: {months: 1}
workflow: standard
schema:
  type: object
  properties:
    full_name: {type: string, minLength: 2, maxLength: 200}
    pesel: {type: string, format: pesel}
    residents: {type: integer, minimum: 1, maximum: 99}
    email: {type: string, format: email, maxLength: 254}
    home:
      type: object
      properties:
        street: {type: string, maxLength: 200}
        postcode: {type: string, maxLength: 6}
        city: {type: string, maxLength: 100}
    people:
      type: array
      maxItems: 5
      items:
        type: object
        properties:
          name: {type: string, maxLength: 200}
ui:
  fields:
    full_name: {label: {pl: Imię i nazwisko, en: Full name}, prefill: account.full_name}
    pesel: {label: {pl: PESEL, en: PESEL}, prefill: account.pesel}
    residents: {label: {pl: Mieszkańcy, en: Residents}}
    email: {label: {pl: E-mail, en: E-mail}, prefill: account.email}
    home: {label: {pl: Adres, en: Address}, prefill: account.address}
    home.street: {label: {pl: Ulica, en: Street}}
    home.postcode: {label: {pl: Kod, en: Postcode}}
    home.city: {label: {pl: Miasto, en: City}}
    people: {label: {pl: Osoby, en: People}}
    people.name: {label: {pl: Imię, en: Name}}
"""


def problems_of(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "probe.yaml"
    path.write_text(text, encoding="utf-8")
    problems, _, _ = check(definition_files([path]), WORKFLOWS)
    return [f"{p.line}: {p.message}" for p in problems]


def test_a_form_whose_questions_fit_their_sources_passes(tmp_path):
    assert problems_of(FORM, tmp_path) == []


def test_the_meta_schema_lists_exactly_the_engines_sources():
    meta = json.loads((ROOT / "platform/eurzad/engine/schemas/form-definition.schema.json").read_text())
    assert meta["$defs"]["uiField"]["properties"]["prefill"]["enum"] == list(SOURCES)


def test_an_unknown_source_is_refused_at_its_line(tmp_path):
    text = FORM.replace("prefill: account.pesel}", "prefill: account.pesle}")
    [problem] = problems_of(text, tmp_path)
    line = line_of(text, "account.pesle")
    assert problem.startswith(f"{line}: ui.fields.pesel.prefill: 'account.pesle' is not one of")


@pytest.mark.parametrize(("change", "message"), [
    (("residents: {label: {pl: Mieszkańcy, en: Residents}}",
      "residents: {label: {pl: Mieszkańcy, en: Residents}, prefill: account.pesel}"),
     "field 'residents': prefill 'account.pesel' fills a text answer (type: string); this field is of type integer"),
    (("email: {type: string, format: email, maxLength: 254}", "email: {type: string, format: date}"),
     "field 'email': prefill 'account.email' does not fit format 'date' (it fits 'email')"),
    (("full_name: {type: string, minLength: 2, maxLength: 200}", "full_name: {type: string, maxLength: 100}"),
     "field 'full_name': prefill 'account.full_name' is an identity answer, which the citizen cannot correct, "
     "so the field must take every value an account holds: no pattern, a minLength of at most 2 and a maxLength "
     "of at least 200"),
    (("pesel: {type: string, format: pesel}", "pesel: {type: string, format: pesel, pattern: '^9'}"),
     "field 'pesel': prefill 'account.pesel' is an identity answer"),
    (("        city: {type: string, maxLength: 100}\n", "        town: {type: string, maxLength: 100}\n",
      "home.city: {label", "home.town: {label"),
     "field 'home': prefill 'account.address' fills a group with the text questions street, postcode, city; "
     "this field lacks city"),
    (("people.name: {label: {pl: Imię, en: Name}}", "people.name: {label: {pl: Imię, en: Name}, "
                                                    "prefill: account.full_name}"),
     "field 'people.name': prefill 'account.full_name' inside a repeating group is not supported"),
])
def test_a_question_its_source_does_not_fit_is_refused_at_the_prefill_line(tmp_path, change, message):
    text = FORM
    for old, new in zip(change[::2], change[1::2], strict=True):
        text = text.replace(old, new)
    problems = problems_of(text, tmp_path)
    assert len(problems) == 1, problems
    line, text_of = problems[0].split(": ", 1)
    assert text_of.startswith(message)
    key = message.split("'")[1]
    assert int(line) == line_of(text, f"    {key}: {{label") or int(line) == line_of(text, f"    {key}:")


def test_the_shipped_forms_mark_the_name_and_pesel_as_identity_answers(registry):
    marked = {(form.id, field.key): field.ui["prefill"] for form in registry for field in form.all_fields()
              if "prefill" in field.ui}
    for form in registry:
        if "full_name" in form.schema["properties"]:
            assert marked[(form.id, "full_name")] == "account.full_name", form.id
        if "pesel" in form.schema["properties"]:
            assert marked[(form.id, "pesel")] == "account.pesel", form.id
        for name in ("email", "phone"):
            if name in form.schema["properties"]:
                assert marked[(form.id, name)] == f"account.{name}", form.id


DETAILS = {"full_name": "Zofia Wiśniewska", "pesel": "44051401359", "email": "zofia@example.pl", "phone": None,
           "address": {"street": "ul. Grodzka 5", "postcode": "38-400", "city": "Krosno"}}


def probe(tmp_path: Path):
    path = tmp_path / "probe.yaml"
    path.write_text(FORM, encoding="utf-8")
    _, [form], _ = check([path], WORKFLOWS)
    return form


def test_a_confirmed_account_gives_its_identity_and_starts_a_draft_with_all_it_holds(tmp_path):
    form = probe(tmp_path)
    account = Account(DETAILS, confirmed=True)
    assert account.identity(form.fields) == {("full_name",): "Zofia Wiśniewska", ("pesel",): "44051401359"}
    assert account.initial(form.fields) == {"full_name": "Zofia Wiśniewska", "pesel": "44051401359",
                                            "email": "zofia@example.pl", "home": DETAILS["address"]}


def test_an_unconfirmed_account_gives_no_identity_and_starts_a_draft_with_its_contact_details(tmp_path):
    form = probe(tmp_path)
    account = Account(DETAILS, confirmed=False)
    assert account.identity(form.fields) == {}
    assert account.initial(form.fields) == {"email": "zofia@example.pl", "home": DETAILS["address"]}


def test_answers_are_set_at_their_paths_without_touching_the_data_given():
    data = {"home": {"street": "x"}, "other": 1}
    assert with_answers(data, {("home", "city"): "Krosno", ("pesel",): "1"}) == {
        "home": {"street": "x", "city": "Krosno"}, "other": 1, "pesel": "1"}
    assert data == {"home": {"street": "x"}, "other": 1}
