"""Every input of a question in error says so to a screen reader (aria-invalid), on every kind of form: the
engine's questions, radios and tick boxes, and the app's own forms (log-in, registration, staff forms)."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from .test_case_steps import filed_case


class ErrorGroups(HTMLParser):
    """The inputs inside each form group in error, with whether each is marked aria-invalid."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # >0 inside a form group in error: the number of open divs from it
        self.inputs: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "div":
            if self.depth:
                self.depth += 1
            elif "form-group--error" in (attributes.get("class") or ""):
                self.depth = 1
        elif self.depth and tag in ("input", "select", "textarea") and attributes.get("type") != "hidden":
            self.inputs.append((attributes.get("id") or attributes.get("name") or tag,
                                attributes.get("aria-invalid") == "true"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.depth:
            self.depth -= 1


def inputs_in_error(page: str) -> list[tuple[str, bool]]:
    parser = ErrorGroups()
    parser.feed(page)
    assert parser.inputs, "no question in error on the page"
    return parser.inputs


def unmarked(response) -> list[str]:
    return [name for name, marked in inputs_in_error(response.get_data(as_text=True)) if not marked]


def test_the_app_forms_mark_every_input_in_error(client):
    assert unmarked(client.submit("/login", {"login": "", "password": ""})) == []
    assert unmarked(client.submit("/register", {})) == []  # text inputs and the consent tick box


def test_engine_questions_mark_radios_and_text_inputs_in_error(client, make_user):
    client.login(make_user().email)
    first = client.start("fault-report")  # a page of radios
    assert unmarked(client.submit(first, {})) == []
    response = client.submit(first, {"category": "pothole"})
    location = client.submit(response.headers["Location"], {"location_method": "address"}).headers["Location"]
    assert unmarked(client.submit(location, {"location": "x"})) == []  # a text input too short


def test_a_clerks_step_form_marks_its_inputs_in_error(client, make_user):
    case_id, _citizen, _clerk = filed_case(client, make_user)
    url = f"/clerk/cases/{case_id}"
    page = client.get(url).get_data(as_text=True)
    version = re.search(r'name="take-version" type="hidden" value="(\d+)"', page)[1]
    client.submit(f"{url}/steps/take", {"take-version": version}, token_from=url)
    page = client.get(url).get_data(as_text=True)
    version = re.search(r'name="request_supplement-version" type="hidden" value="(\d+)"', page)[1]
    refused = client.submit(f"{url}/steps/request_supplement", {"request_supplement-version": version}, token_from=url)
    assert refused.status_code == 400 and unmarked(refused) == []  # the comment it needs, missing
