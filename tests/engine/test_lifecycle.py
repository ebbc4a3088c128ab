"""The keys that write a published form's later life, checked where they stand: `withdrawn` (from its day on)
and `changes` (the breaking changes each version declares)."""
from __future__ import annotations

from datetime import date

from eurzad.engine.definitions import build_definition
from eurzad.engine.sources import DefinitionError, parse_source

from .test_definition_check import EXAMPLE, line_of

NAME = "form_definitions/public-information.yaml"


def form(text: str):
    return build_definition(parse_source(NAME, text), None, strict=False)


WITHDRAWN = EXAMPLE.replace("workflow: public_information\n", "workflow: public_information\nwithdrawn:\n"
                            "  since: \"2027-01-01\"\n  note: {pl: Użyj innego, en: Use another}\n")


def test_a_withdrawal_takes_effect_on_its_day():
    withdrawn = form(WITHDRAWN).withdrawn
    assert withdrawn is not None and withdrawn.note.en == "Use another"
    assert not withdrawn.applies(date(2026, 12, 31)) and withdrawn.applies(date(2027, 1, 1))


def checked(text: str) -> list[str]:
    try:
        build_definition(parse_source(NAME, text), None)
    except DefinitionError as exc:
        return [f"{p.line}: {p.message}" for p in exc.problems]
    return []


def test_a_withdrawal_on_a_day_that_does_not_exist_is_a_problem_at_its_line():
    bad = WITHDRAWN.replace("2027-01-01", "2027-02-30")
    assert checked(bad) == [f"{line_of(bad, 'since:')}: withdrawn.since: '2027-02-30' is not a day of the calendar"]
    assert form(bad).withdrawn is None  # read as a snapshot: not withdrawn


def test_a_declared_change_of_a_version_above_the_forms_or_declared_twice_is_a_problem():
    changes = ("changes:\n  - version: 3\n    breaking: [email]\n    note: {pl: A, en: A}\n"
               "  - version: 2\n    breaking: [email]\n    note: {pl: B, en: B}\n"
               "  - version: 2\n    breaking: [topic]\n    note: {pl: C, en: C}\n")
    text = EXAMPLE + changes
    start = line_of(text, "changes:")
    assert checked(text) == [
        f"{start + 1}: changes[0]: version 3 is above the form's version 2: declare the changes of a version in it",
        f"{start + 7}: changes[2]: version 2 is declared twice: list all its breaking changes in one entry"]
    assert [entry.breaking for entry in form(text).changes] == [("email",), ("email",), ("topic",)]


def test_a_declared_change_names_a_question_an_option_a_page_or_a_schema_keyword():
    entries = "[email, address.postcode, option topic.finances, page contact, schema allOf]"
    good = EXAMPLE.replace("version: 2", "version: 3") + (
        f"changes:\n  - version: 3\n    breaking: {entries}\n    note: {{pl: A, en: A}}\n")
    assert checked(good) == []
    assert any("does not match" in message for message in checked(good.replace("page contact", "pages contact")))
