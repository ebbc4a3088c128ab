"""The clerk's "why did it come to me": every row of the routing table for the filed answers, why each that does
not hold fails, and the row that won, in a details element that needs no JavaScript, in Polish and English."""
from __future__ import annotations

import html
import re
from pathlib import Path

from eurzad.auth.models import Role
from eurzad.engine.definitions import sample_path
from eurzad.engine.samples import post_data, read_samples

from .test_routing_and_messages import case_number, street_issue  # noqa: F401  (the fixture)


def why_here(page: str) -> str:
    """The details element of the explanation, whole."""
    found = re.search(r'<details class="details" id="why-here">.*?</details>', page, re.S)
    assert found, "the case page has no explanation of its routing"
    return found.group(0)


def rows(details: str) -> list[str]:
    """Each row of the table as the clerk reads it: tags out, spaces joined."""
    items = re.findall(r'<li class="routing-rows__row[^"]*">(.*?)</li>\s*(?=<li class="routing-rows__row|</ol>)',
                       details, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in items]


def clerk_page(client, make_user, department: str, lang: str = "pl") -> str:
    """The case page of the one case in `department`, as a clerk of it sees it in `lang`."""
    clerk = client.application.test_client()
    clerk.login(make_user(Role.CLERK, department=department).email)
    clerk.get(f"/?lang={lang}")
    inbox = clerk.get("/clerk/").get_data(as_text=True)
    return clerk.get(re.search(r'href="(/clerk/cases/\d+)"', inbox).group(1)).get_data(as_text=True)


def test_the_clerk_sees_each_row_why_it_fails_and_the_row_that_won(street_issue, make_user):  # noqa: F811
    case_number(street_issue, {"place": "road", "problem": "pothole"})
    details = why_here(clerk_page(street_issue, make_user, "DR"))
    first, second, third = rows(details)
    assert first.startswith("✗ Wiersz 1") and "nie spełnia warunku" in first
    assert "„Co się stało” to \"pothole\", a nie \"lamp\"" in first
    assert second.startswith("✓ Wiersz 2") and "spełnia warunek: ten wiersz wygrywa" in second
    assert "„Gdzie” to \"road\"" in second
    assert third.startswith("✓ Wiersz 3") and "wygrywa wiersz powyżej" in third
    assert details.count("routing-rows__row--winner") == 1
    assert re.search(r"Rejestr spraw</dt><dd>DR\.7230<", details)


def test_the_explanation_is_in_english_on_an_english_page(street_issue, make_user):  # noqa: F811
    case_number(street_issue, {"place": "park", "problem": "litter"})
    details = why_here(clerk_page(street_issue, make_user, "BOI", lang="en"))
    first, second, third = rows(details)
    assert "“What happened” is \"litter\", not \"lamp\"" in first and "does not hold" in first
    assert "“Where” is \"park\", not \"road\"" in second
    assert third.startswith("✓ Row 3") and "holds: this row wins" in third
    assert "it takes every submission the rows above leave" in third
    assert re.search(r"Case-number register</dt><dd>BOI\.0150<", details)


def test_the_explanation_is_in_the_page_itself_folded_in_a_details_element(street_issue, make_user):  # noqa: F811
    """No script fetches or unfolds it: the browser's own details element shows it, with or without JavaScript."""
    case_number(street_issue, {"place": "road", "problem": "lamp"})
    details = why_here(clerk_page(street_issue, make_user, "GK"))
    assert re.match(r'<details class="details" id="why-here">\s*<summary class="details__summary">', details)
    assert "<script" not in details and "Wiersz 1" in details


def test_a_form_without_a_routing_table_says_its_own_department_takes_every_case(citizen_client, make_user,
                                                                                registry):
    form = registry.forms["waste-declaration"]
    [golden] = [sample for sample in read_samples(sample_path(form))[1] if sample.valid]
    assert citizen_client.send_form(form.id, post_data(golden.post).to_dict(flat=False)).status_code == 303
    details = why_here(clerk_page(citizen_client, make_user, golden.department))
    assert "Ten formularz nie ma tabeli kierowania" in details and "<ol" not in details
    assert re.search(rf"Rejestr spraw</dt><dd>{golden.department}\.{form.service.jrwa}<", details)
    assert "Sprawa administracyjna" in details  # the workflow, by its title


def test_a_table_changed_since_the_filing_is_explained_as_it_is_now_and_the_page_says_so(
        street_issue, make_user, another_app, tmp_path):  # noqa: F811
    case_number(street_issue, {"place": "road", "problem": "pothole"})  # row 2: DR
    config = street_issue.application.config
    changed = tmp_path / "changed-workflows.yaml"
    changed.write_text(Path(config["WORKFLOWS_FILE"]).read_text(encoding="utf-8").replace(
        "when: {field: place, equals: road}", "when: {field: place, equals: park}"), encoding="utf-8")
    later = another_app(DEFINITIONS_DIR=config["DEFINITIONS_DIR"], WORKFLOWS_FILE=str(changed)).test_client()
    details = why_here(clerk_page(later, make_user, "DR"))
    assert [row.split(" · ")[0] for row in rows(details)] == ["✗ Wiersz 1", "✗ Wiersz 2", "✓ Wiersz 3"]
    assert "„Gdzie” to \"road\", a nie \"park\"" in rows(details)[1]
    assert "W chwili złożenia sprawa trafiła tu według innego wiersza" in details


def test_a_forwarded_case_says_that_routing_sent_it_elsewhere_first(street_issue, make_user):  # noqa: F811
    from .test_forwarding import send_forward
    case_number(street_issue, {"place": "road", "problem": "pothole"})  # row 2: DR
    roads = street_issue.application.test_client()
    roads.login(make_user(Role.CLERK, department="DR").email)
    case_id = int(re.search(r'href="/clerk/cases/(\d+)"', roads.get("/clerk/").get_data(as_text=True))[1])
    assert send_forward(roads, case_id, "GK", "Latarnie utrzymuje Wydział Gospodarki Komunalnej.").status_code == 303
    details = why_here(clerk_page(street_issue, make_user, "GK"))
    assert "Kierowanie wysłało sprawę do DR; później przekazano ją tutaj" in details
    assert "routing-rows__row--winner" in details and "Wiersz 2" in details
