"""Filed answers read as a person reads them: ticks, lists, dates, file sizes, nesting and questions' own buttons.

Written for mutants that survived the suite (docs/testing.md): each test pins down something a citizen
or a clerk sees on the summary, the case page or a question page.
"""
from __future__ import annotations

import re

import pytest
from werkzeug.datastructures import MultiDict

from eurzad.engine.answers import answer_rows, raw_rows
from eurzad.engine.definitions import build_definition
from eurzad.engine.forms import fill_form, form_class
from eurzad.engine.sources import parse_source
from eurzad.engine.types import render_question

FORM = """
id: shown
version: 1
title: {pl: Pokazane, en: Shown}
service: {department: OR, jrwa: "1431", legal_basis: {pl: U, en: A}, fee: {pl: B, en: F}, deadline: {days: 14}}
workflow: standard
schema:
  type: object
  additionalProperties: false
  properties:
    agree: {type: boolean}
    tags: {type: array, items: {enum: [x, y]}, uniqueItems: true, maxItems: 2}
    start: {type: string, format: date}
    scan: {type: string, format: attachment}
    address:
      type: object
      additionalProperties: false
      properties:
        street: {type: string, maxLength: 50}
        town: {type: string, maxLength: 50}
    members:
      type: array
      maxItems: 3
      items:
        type: object
        additionalProperties: false
        properties:
          name: {type: string, maxLength: 50}
ui:
  fields:
    agree: {label: {pl: Zgoda, en: Consent}}
    tags: {label: {pl: Cechy, en: Tags}, options: {x: {pl: Iks, en: Ex}, y: {pl: Igrek, en: Why}}}
    start: {label: {pl: Od dnia, en: From}}
    scan: {label: {pl: Skan, en: Scan}}
    address: {label: {pl: Adres, en: Address}}
    address.street: {label: {pl: Ulica, en: Street}}
    address.town: {label: {pl: Miejscowość, en: Town}}
    members: {label: {pl: Osoby, en: People}, item_label: {pl: Osoba, en: Person}}
    members.name: {label: {pl: Imię, en: Name}}
"""


@pytest.fixture(scope="module")
def shown():
    return build_definition(parse_source("shown.yaml", FORM), None)


def field(definition, name):
    return next(f for f in definition.fields if f.name == name)


def visible_text(html: str) -> str:
    """What a sighted reader sees: the page without its tags and the text hidden for screen readers."""
    html = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_ticked_box_reads_yes_and_an_unticked_one_no(shown, pl, en):
    assert [row.value for row in answer_rows(shown.fields, {"agree": True}, pl)] == ["Tak"]
    assert [row.value for row in answer_rows(shown.fields, {"agree": False}, en)] == ["No"]


def test_several_ticked_answers_read_as_their_labels_separated_by_commas(shown, pl, en):
    assert [row.value for row in answer_rows(shown.fields, {"tags": ["x", "y"]}, pl)] == ["Iks, Igrek"]
    assert [row.value for row in answer_rows(shown.fields, {"tags": ["y"]}, en)] == ["Why"]


def test_a_date_reads_as_the_day_it_names_in_the_pages_language(shown, pl, en):
    assert [row.value for row in answer_rows(shown.fields, {"start": "2026-12-31"}, pl)] == ["31 grudnia 2026"]
    assert [row.value for row in answer_rows(shown.fields, {"start": "2026-12-31"}, en)] == ["31 December 2026"]


def test_an_attached_file_reads_as_its_name_and_a_size_people_read(shown, pl, en):
    files = {"a" * 64: ("skan.pdf", 1572864), "b" * 64: ("mały.png", 2000), "c" * 64: ("duży.pdf", 5 * 1048576)}
    assert answer_rows(shown.fields, {"scan": "a" * 64}, pl, files)[0].value == "skan.pdf (1,5 MB)"
    assert answer_rows(shown.fields, {"scan": "a" * 64}, en, files)[0].value == "skan.pdf (1.5 MB)"
    assert answer_rows(shown.fields, {"scan": "b" * 64}, pl, files)[0].value == "mały.png (2 kB)"
    assert answer_rows(shown.fields, {"scan": "c" * 64}, pl, files)[0].value == "duży.pdf (5 MB)"


@pytest.mark.parametrize(("size", "words"), [(1048576 + 1024 * 150, "1,1 MB"), (10 * 1048576 - 1, "10 MB"),
                                             (1048576 * 2 + 1048576 * 46 // 100, "2,5 MB"),
                                             (10434380, "10 MB")])  # 9.951 MB, a hair above 9.95
def test_a_file_size_in_megabytes_is_rounded_to_one_decimal(pl, size, words):
    assert pl.file_size(size) == words


def test_answers_whose_form_is_gone_are_shown_under_their_names_with_nested_ones_one_step_in():
    rows = raw_rows({"name": "Jan", "address": {"town": "Krosno"}, "count": 3})
    assert [(row.label, row.value, row.depth) for row in rows] == [
        ("name", "Jan", 0), ("address", None, 0), ("town", "Krosno", 1), ("count", "3", 0)]


def test_a_lone_tick_box_on_its_page_has_its_question_as_the_page_heading(shown, pl):
    form = form_class(shown, "pl")()
    html = render_question(field(shown, "agree"), form, {}, pl, heading=True)
    assert '<h1 class="heading-l">Zgoda</h1>' in html
    assert "<h1" not in render_question(field(shown, "agree"), form, {}, pl, heading=False)


def test_an_attached_file_can_be_removed_by_a_button_that_names_it(shown, pl):
    form = form_class(shown, "pl")()
    html = render_question(field(shown, "scan"), form, {}, pl, current_file=lambda _f: ("skan.pdf", "/files/7"),
                           actions=lambda path: f"/drafts/d/pages/p/{path}")
    assert 'formaction="/drafts/d/pages/p/remove-file/scan"' in html
    assert 'Usuń plik<span class="visually-hidden"> skan.pdf</span>' in html
    assert 'Załączono: <a href="/files/7">skan.pdf</a>' in html


def test_each_person_of_a_list_of_two_has_a_remove_button_naming_them_and_one_alone_has_none(shown, pl):
    members = field(shown, "members")
    two = form_class(shown, "pl")(MultiDict([("members-0-name", "Jan"), ("members-1-name", "Ewa")]))
    html = render_question(members, two, {}, pl, actions=lambda path: f"/p/{path}")
    assert 'formaction="/p/remove/members/0"' in html and 'formaction="/p/remove/members/1"' in html
    assert 'Usuń<span class="visually-hidden"> Osoba 2</span>' in html
    one = form_class(shown, "pl")(MultiDict([("members-0-name", "Jan")]))
    assert visible_text(render_question(members, one, {}, pl, actions=lambda path: f"/p/{path}")) == (
        "Osoby (opcjonalnie) Osoba 1 Imię (opcjonalnie) Dodaj kolejną pozycję")


def test_answers_put_back_into_a_page_show_in_its_nested_and_repeated_questions(shown, pl):
    form = form_class(shown, "pl")()
    fill_form(form, shown.fields, {"address": {"street": "Długa 1", "town": "Krosno"},
                                   "members": [{"name": "Jan"}, {"name": "Ewa"}]})
    address = render_question(field(shown, "address"), form, {}, pl)
    assert 'value="Długa 1"' in address and 'value="Krosno"' in address
    people = render_question(field(shown, "members"), form, {}, pl)
    assert 'name="members-0-name"' in people and 'value="Jan"' in people and 'value="Ewa"' in people
    assert "Osoba 2" in people
