"""The versioning rules against the versions cases were filed under: a filed version keeps its text, a changed
form goes above the last version filed, an id once filed never names another form."""
from __future__ import annotations

from eurzad.engine.definitions import build_definition, definition_from_text
from eurzad.engine.sources import parse_source, text_sha256
from eurzad.engine.versions import StoredVersion, version_problems

from .test_definition_check import EXAMPLE, line_of

NAME = "form_definitions/public-information.yaml"


def form(text: str = EXAMPLE):
    return build_definition(parse_source(NAME, text), None, strict=False)


def filed(text: str = EXAMPLE, version: int | None = None) -> StoredVersion:
    """A version as the snapshots table keeps it, its text read back as a snapshot is."""
    made = definition_from_text(text)
    return StoredVersion(made.id, version or made.version, text_sha256(text), text)


def problems(text: str, *stored: StoredVersion) -> list[str]:
    return [f"{p.file}:{p.line}: {p.message}" for p in version_problems([form(text)], stored)]


def test_a_form_never_filed_or_filed_exactly_as_it_is_is_fine():
    assert problems(EXAMPLE) == []
    assert problems(EXAMPLE, filed()) == []


def test_a_text_changed_under_a_filed_version_is_refused_at_the_version_line():
    changed = EXAMPLE.replace("en: Request for access to public information", "en: Ask for public information")
    assert problems(changed, filed()) == [
        f"{NAME}:{line_of(changed, 'version: 2')}: version 2: the text changed but the version did not (cases were "
        "filed under version 2 as it was): bump the version to 3"]


def test_a_bumped_version_passes():
    changed = EXAMPLE.replace("version: 2", "version: 3").replace("en: Request for access", "en: Asking for access")
    assert problems(changed, filed()) == []


def test_a_changed_text_under_a_version_below_the_last_filed_is_refused():
    older = EXAMPLE.replace("version: 2", "version: 1").replace("en: Request for access", "en: Asking for access")
    newer = EXAMPLE.replace("version: 2", "version: 3")
    assert problems(older, filed(), filed(newer)) == [
        f"{NAME}:{line_of(older, 'version: 1')}: version 1 is below version 3, the last one cases were filed under: "
        "a changed form takes version 4"]


def test_going_back_to_a_version_exactly_as_filed_is_fine():
    newer = EXAMPLE.replace("version: 2", "version: 3").replace("en: Request for access", "en: Asking for access")
    assert problems(EXAMPLE, filed(), filed(newer)) == []


OTHER_QUESTIONS = """\
id: public-information
version: 3
title: {pl: Wniosek o dowód osobisty, en: Application for an identity card}
service:
  department: OR
  jrwa: "5340"
  legal_basis: {pl: Ustawa o dowodach osobistych, en: Identity Cards Act}
  fee: {pl: Bezpłatnie, en: Free}
  deadline: {months: 1}
workflow: standard
schema:
  type: object
  properties:
    applicant: {type: string, maxLength: 100}
ui:
  fields:
    applicant: {label: {pl: Wnioskodawca, en: Applicant}}
"""
OTHER_TITLE = (EXAMPLE.replace("version: 2", "version: 3")
               .replace("pl: Wniosek o udostępnienie informacji publicznej", "pl: Wniosek o dowód osobisty")
               .replace("en: Request for access to public information", "en: Application for an identity card"))


def test_an_id_filed_for_one_form_and_given_to_another_is_refused_at_the_id_line():
    assert problems(OTHER_QUESTIONS, filed()) == [
        f"{NAME}:1: form id 'public-information' was filed for another form ('Request for access to public "
        "information', version 2): an id, once filed, is never given to another form; give this one an id of its own"]


def test_a_new_title_with_the_same_questions_or_new_questions_under_the_same_title_is_the_same_form():
    assert problems(OTHER_TITLE, filed()) == []
    same_title = OTHER_QUESTIONS.replace("pl: Wniosek o dowód osobisty", "pl: Wniosek o udostępnienie informacji "
                                                                         "publicznej")
    assert problems(same_title, filed()) == []


def test_an_unreadable_snapshot_says_nothing_of_another_form():
    broken = StoredVersion("public-information", 2, "0" * 64, "id: [")
    assert problems(OTHER_QUESTIONS, broken) == []
