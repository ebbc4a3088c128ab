"""Every form found in form_definitions/ is opened and asked; each with a golden sample (form_definitions/samples/)
goes the whole journey: answers → stored JSON → department, and mistakes → messages. A form added without a
sample never breaks the suite: `eurzad forms check` recommends writing one."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from markupsafe import escape
from sqlalchemy import select

from eurzad.cases.models import Case
from eurzad.engine.routing import explain_form
from eurzad.engine.sample_runs import run_samples
from eurzad.engine.samples import Sample, answers, post_data, read_samples
from eurzad.extensions import db

DEFINITIONS = Path(__file__).parents[1] / "form_definitions"
SAMPLES = DEFINITIONS / "samples"
FORM_IDS = sorted(path.stem for path in DEFINITIONS.glob("*.yaml"))
SAMPLED = sorted(path.stem for path in SAMPLES.glob("*.yaml"))
SHIPPED = ["fault-report", "housing-allowance", "public-information", "road-lane-occupation", "tree-removal",
           "waste-declaration"]


def samples(form_id: str) -> list[Sample]:
    """Every sample of a shipped form, read by the engine's own reader (`eurzad forms test` reads them so)."""
    return read_samples(SAMPLES / f"{form_id}.yaml")[1]


def sample(form_id: str) -> Sample:
    """The golden sample: the post a browser sends, the data stored, the department."""
    return next(found for found in samples(form_id) if not found.at)


def first_mistakes(form_id: str) -> Sample:
    """The first invalid sample given as a post, with the Polish message each of its questions must show."""
    return next(found for found in samples(form_id) if not found.valid and found.post is not None)


def test_the_six_real_forms_are_shipped_each_with_a_sample_and_every_sample_is_of_a_form(registry):
    assert set(SHIPPED) <= set(registry.forms) and sorted(registry.forms) == FORM_IDS
    assert set(SHIPPED) <= set(SAMPLED) and set(SAMPLED) <= set(FORM_IDS)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_form_found_opens_and_its_first_page_answers_an_empty_post_in_words(citizen_client, form_id):
    """Whatever an administrator adds: its start page, its first page, and that page sent empty (moved on,
    or stopped by its questions with an error summary), never a 500."""
    assert citizen_client.get(f"/forms/{form_id}").status_code == 200
    first = citizen_client.start(form_id)
    assert citizen_client.get(first).status_code == 200
    empty = citizen_client.submit(first)
    assert empty.status_code == 303 or (empty.status_code == 400 and 'class="error-summary"' in empty.text)


@pytest.mark.parametrize("form_id", SAMPLED)
def test_every_sample_is_read_validated_and_routed_as_its_file_says(registry, pl, form_id):
    """Valid samples: the post stored as `data` says, accepted, and sent to their department (and row); invalid
    ones: each question named fails with its keyword or shows its message. As `eurzad forms test` runs them."""
    run = run_samples(registry.forms[form_id], registry.workflows, pl, date.today())
    assert run is not None and run.samples >= 2
    assert [str(problem) for problem in run.problems] == []


@pytest.mark.parametrize("form_id", SAMPLED)
def test_the_explanation_of_where_a_sample_goes_names_the_row_the_engine_routes_it_by(registry, form_id):
    """The explanation never decides: its winner is `route`'s row, and the first row it says holds."""
    form = registry.forms[form_id]
    for found in (found for found in samples(form_id) if found.valid):
        data = answers(form, found)
        data |= form.computed_values(data)
        route = registry.workflows.route(form.routing, data, form.service.department, form.service.jrwa)
        explanation = explain_form(registry.workflows, form, data)
        assert explanation.route == route and explanation.route.department == found.department
        holding = [verdict.row.number for verdict in explanation.rows if verdict.holds]
        assert (explanation.winner.row.number if explanation.winner else None) == route.row
        assert (holding[0] if holding else None) == route.row
        assert all(verdict.reasons or verdict.row.when is None for verdict in explanation.rows)


@pytest.mark.parametrize("form_id", SAMPLED)
def test_a_citizen_sends_the_sample_and_the_department_gets_the_case(app, citizen_client, form_id):
    case = sample(form_id)
    assert citizen_client.get(f"/forms/{form_id}").status_code == 200
    response = citizen_client.send_form(form_id, post_data(case.post).to_dict(flat=False))
    assert response.status_code == 303
    with app.app_context():
        stored = db.session.scalar(select(Case))
        assert stored.department == case.department
        assert stored.number.startswith(f"{case.department}.")
        assert json.loads(stored.submission.data_json) == case.data


@pytest.mark.parametrize("form_id", SAMPLED)
def test_the_first_mistake_stops_the_citizen_on_its_page_by_its_field(registry, citizen_client, form_id):
    invalid = first_mistakes(form_id)
    response = citizen_client.answer_pages(citizen_client.start(form_id),
                                           post_data(invalid.post).to_dict(flat=False))
    assert not isinstance(response, str) and response.status_code == 400
    page = response.get_data(as_text=True)
    shown = [key for key, message in invalid.errors.items() if str(escape(message)) in page]
    assert shown, "the page shows none of the expected messages"
    for key in shown:
        field = registry.forms[form_id].field(key)
        while field.children:
            field = field.children[0]
        assert field.html_id in page
