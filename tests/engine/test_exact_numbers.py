"""Numbers are exact: read in decimal, checked in decimal, stored and shown with the digits typed; digits are
0 to 9, in answers and in a definition's patterns (decision 0031)."""
from __future__ import annotations

import json

import pytest
import rfc8785
from werkzeug.datastructures import MultiDict

from eurzad.engine.answers import answer_rows
from eurzad.engine.conditions import compile_predicate
from eurzad.engine.definitions import build_definition
from eurzad.engine.exact import ascii_digits
from eurzad.engine.forms import form_class, read_answers
from eurzad.engine.sources import DefinitionError, parse_source
from eurzad.engine.validation import validate

FORM = """
id: amounts
version: 1
title: {pl: Kwoty, en: Amounts}
service: {department: OR, jrwa: "1431", legal_basis: {pl: U, en: A}, fee: {pl: B, en: F}, deadline: {days: 14}}
workflow: standard
schema:
  type: object
  additionalProperties: false
  properties:
    price: {type: number, minimum: 0, maximum: 100000, multipleOf: 0.01}
    rent: {type: integer, minimum: 0, maximum: 100000, multipleOf: 1}
    latitude: {type: number, minimum: 49.6, maximum: 49.8}
    area: {type: number, minimum: 0, maximum: 10000000}
    residents: {type: integer, minimum: 1, maximum: 99}
    postcode: {type: string, maxLength: 6, pattern: "^\\\\d{2}-\\\\d{3}$"}
    plot: {type: string, maxLength: 10, pattern: "^[\\\\d/]+$"}
    pesel: {type: string, format: pesel}
    nip: {type: string, format: nip, maxLength: 13}
ui:
  fields:
    price: {label: {pl: Cena, en: Price}, widget: money}
    rent: {label: {pl: Czynsz, en: Rent}, widget: money}
    latitude: {label: {pl: Szerokość geograficzna, en: Latitude}}
    area: {label: {pl: Powierzchnia, en: Area}}
    residents: {label: {pl: Mieszkańcy, en: Residents}}
    postcode: {label: {pl: Kod pocztowy, en: Postcode}}
    plot: {label: {pl: Działka, en: Plot}}
    pesel: {label: {pl: PESEL, en: PESEL}}
    nip: {label: {pl: NIP, en: NIP}}
"""


@pytest.fixture(scope="module")
def amounts():
    return build_definition(parse_source("amounts.yaml", FORM), None)


def answers(definition, **post):
    return read_answers(definition.fields, form_class(definition, "pl")(MultiDict(post)))


def shown(definition, data, tr) -> dict[str, str]:
    return {row.key: row.value.replace("\u00a0", " ") for row in answer_rows(definition.fields, data, tr)}


def test_an_amount_of_19_99_is_a_multiple_of_a_grosz(amounts, pl):
    data = answers(amounts, price="19,99")
    assert data == {"price": 19.99}
    assert validate(amounts, data, pl) == {}
    for typed in ("0,07", "1234,56", "0.29", "99999,99"):
        assert validate(amounts, answers(amounts, price=typed), pl) == {}, typed


def test_a_third_decimal_place_in_an_amount_is_refused_in_plain_words(amounts, pl, en):
    data = answers(amounts, price="19,999")
    assert validate(amounts, data, pl) == {
        "price": "Wpisz kwotę z najwyżej 2 miejscami po przecinku, na przykład 980,50"}
    assert validate(amounts, data, en) == {"price": "Enter the amount with no more than 2 decimal places, like 980.50"}


def test_an_amount_that_is_not_a_number_says_how_to_write_one(amounts, pl):
    assert validate(amounts, answers(amounts, price="dużo"), pl) == {"price": "Wpisz kwotę, na przykład 980,50"}


def test_money_is_shown_in_zloty_as_each_language_writes_amounts(amounts, pl, en):
    data = answers(amounts, price="980,5", rent="1 250")
    assert shown(amounts, data, pl) == {"price": "980,50 zł", "rent": "1 250,00 zł"}
    assert shown(amounts, data, en) == {"price": "PLN 980.50", "rent": "PLN 1,250.00"}


def test_a_number_is_shown_with_every_digit_it_was_filed_with(amounts, pl, en):
    data = answers(amounts, latitude="49,688701", area="1 250 000,125")
    assert data == {"latitude": 49.688701, "area": 1250000.125}
    assert shown(amounts, data, pl) == {"latitude": "49,688701", "area": "1 250 000,125"}
    assert shown(amounts, data, en) == {"latitude": "49.688701", "area": "1,250,000.125"}


def test_the_stored_json_carries_the_digits_typed(amounts):
    data = answers(amounts, price="19,99", latitude="49,68870", area="0,1")
    assert rfc8785.dumps(data) == b'{"area":0.1,"latitude":49.6887,"price":19.99}'
    assert json.loads(rfc8785.dumps(data)) == data


@pytest.mark.parametrize("typed", ["١٢", "１２", "4٩,5", "12²"])
def test_digits_of_other_scripts_are_refused_not_read_as_numbers(amounts, pl, typed):
    data = answers(amounts, area=typed, residents=typed)
    assert data == {"area": typed, "residents": typed}
    assert validate(amounts, data, pl) == {"area": "Wpisz liczbę cyframi od 0 do 9",
                                            "residents": "Wpisz liczbę cyframi od 0 do 9"}


@pytest.mark.parametrize("typed", ["1 2", "12 34", "1 25", "1 250,5 0", "12\t500"])
def test_spaces_inside_a_number_are_refused_unless_they_separate_thousands(amounts, pl, typed):
    assert validate(amounts, answers(amounts, area=typed), pl) == {
        "area": "Usuń spacje z liczby (spacja może oddzielać tylko tysiące, na przykład 1 250)"}


@pytest.mark.parametrize(("typed", "number"), [
    ("1 250", 1250), ("1\u00a0250,5", 1250.5), ("1\u202f250\u202f000", 1250000), (" 12 ", 12), ("-3", -3)])
def test_thousands_may_be_separated_by_spaces_as_the_office_writes_them(amounts, typed, number):
    assert answers(amounts, area=typed) == {"area": number}


def test_a_number_of_more_than_15_digits_is_refused_rather_than_rounded(amounts, pl):
    assert validate(amounts, answers(amounts, latitude="49,6887012345678"), pl) == {}
    data = answers(amounts, latitude="49,68870123456789")
    assert data == {"latitude": "49,68870123456789"}
    assert validate(amounts, data, pl) == {"latitude": "Wpisz liczbę, która ma najwyżej 15 cyfr"}
    tiny = answers(amounts, area="0," + "0" * 400 + "1")  # a double would carry it as 0
    assert validate(amounts, tiny, pl) == {"area": "Wpisz liczbę, która ma najwyżej 15 cyfr"}


def test_a_whole_number_question_still_refuses_a_fraction(amounts, pl):
    assert validate(amounts, answers(amounts, residents="2,5"), pl) == {
        "residents": "Wpisz liczbę całkowitą, na przykład 12"}


@pytest.mark.parametrize(("field", "good", "bad"), [
    ("postcode", "38-400", "٣٨-٤٠٠"), ("postcode", "38-400", "３８-４００"), ("plot", "1234/5", "١٢٣٤/٥"),
])
def test_a_digit_in_a_definitions_pattern_means_0_to_9(amounts, pl, field, good, bad):
    assert validate(amounts, answers(amounts, **{field: good}), pl) == {}
    assert validate(amounts, answers(amounts, **{field: bad}), pl) == {field: "Wpisz odpowiedź w poprawnym formacie"}


@pytest.mark.parametrize(("pattern", "ascii"), [
    (r"^\d{2}$", "^[0-9]{2}$"), (r"[\d-]+", "[0-9-]+"), (r"[^\d]", "[^0-9]"), (r"\D", "[^0-9]"),
    (r"[]\d]", "[]0-9]"), (r"\\d", r"\\d"), (r"[\D]", r"[\D]"), (r"\w+", r"\w+"),
])
def test_patterns_are_read_with_ascii_digits(pattern, ascii):
    assert ascii_digits(pattern) == ascii


def test_pesel_and_nip_written_in_other_digits_are_refused(amounts, pl):
    data = answers(amounts, pesel="４４０５１４０１３５９", nip="１２３４５６３２１８")
    assert validate(amounts, data, pl) == {"pesel": "Wpisz poprawny, 11-cyfrowy numer PESEL",
                                            "nip": "Wpisz poprawny, 10-cyfrowy numer NIP"}


def test_a_condition_compares_numbers_in_decimal():
    assert compile_predicate({"field": "price", "schema": {"multipleOf": 0.01}}).matches({"price": 19.99})
    assert compile_predicate({"field": "code", "schema": {"pattern": r"^\d+$"}}).matches({"code": "12"})
    assert not compile_predicate({"field": "code", "schema": {"pattern": r"^\d+$"}}).matches({"code": "١٢"})


@pytest.mark.parametrize(("step", "problem"), [
    (None, True), ("0.001", True), ("0.5", False), ("1", False), ("0.01", False), ("0.03", False),
])
def test_an_amount_must_be_counted_in_whole_grosze_to_be_published(step, problem):
    schema = "{type: number, minimum: 0, maximum: 100" + (f", multipleOf: {step}" if step else "") + "}"
    text = FORM.replace("{type: number, minimum: 0, maximum: 100000, multipleOf: 0.01}", schema)
    if problem:
        with pytest.raises(DefinitionError, match=r"field 'price': give it multipleOf: 0\.01 \(an amount is in "
                                                  r"whole grosze\)"):
            build_definition(parse_source("amounts.yaml", text), None)
    else:
        build_definition(parse_source("amounts.yaml", text), None)
