"""Every form found in form_definitions/ is opened and asked; each with a golden sample (form_definitions/samples/)
goes the whole journey: answers → stored JSON → department, and mistakes → messages. A form added without a
sample never breaks the suite: `eurzad forms check` recommends writing one."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from markupsafe import escape
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from eurzad.cases.models import Case
from eurzad.engine.forms import form_class, read_answers
from eurzad.engine.journey import walk
from eurzad.engine.validation import validate
from eurzad.extensions import db

DEFINITIONS = Path(__file__).parents[1] / "form_definitions"
SAMPLES = DEFINITIONS / "samples"
FORM_IDS = sorted(path.stem for path in DEFINITIONS.glob("*.yaml"))
SAMPLED = sorted(path.stem for path in SAMPLES.glob("*.yaml"))
SHIPPED = ["fault-report", "housing-allowance", "public-information", "road-lane-occupation", "tree-removal",
           "waste-declaration"]


def sample(form_id: str) -> dict:
    return yaml.safe_load((SAMPLES / f"{form_id}.yaml").read_text(encoding="utf-8"))


def post_data(post: dict) -> MultiDict:
    return MultiDict([(key, item) for key, value in post.items()
                      for item in (value if isinstance(value, list) else [value])])


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


def answers_of(form, post: dict) -> dict:
    """What the engine keeps of a whole post: every page read, then hidden answers dropped."""
    data = read_answers(form.fields, form_class(form, "pl")(post_data(post)))
    return walk(form.pages, data).data


@pytest.mark.parametrize("form_id", SAMPLED)
def test_the_engine_reads_validates_and_routes_the_sample(registry, pl, form_id):
    case = sample(form_id)
    form = registry.forms[form_id]
    data = answers_of(form, case["post"])
    assert data | form.computed_values(data) == case["data"]  # computed values join the answers at sending
    assert validate(form, data, pl, required=walk(form.pages, data).required, today=date.today()) == {}
    route = registry.workflows.route(form.routing, data, form.service.department, form.service.jrwa)
    assert route.department == case["department"]


@pytest.mark.parametrize("form_id", SAMPLED)
def test_a_citizen_sends_the_sample_and_the_department_gets_the_case(app, citizen_client, form_id):
    case = sample(form_id)
    assert citizen_client.get(f"/forms/{form_id}").status_code == 200
    response = citizen_client.send_form(form_id, post_data(case["post"]).to_dict(flat=False))
    assert response.status_code == 303
    with app.app_context():
        stored = db.session.scalar(select(Case))
        assert stored.department == case["department"]
        assert stored.number.startswith(f"{case['department']}.")
        assert json.loads(stored.submission.data_json) == case["data"]


@pytest.mark.parametrize("form_id", SAMPLED)
def test_mistakes_in_the_sample_get_the_expected_messages(registry, pl, form_id):
    invalid = sample(form_id)["invalid"]
    form = registry.forms[form_id]
    data = answers_of(form, invalid["post"])
    errors = validate(form, data, pl, required=walk(form.pages, data).required, today=date.today())
    for key, message in invalid["errors"].items():
        assert errors.get(key) == message, key


@pytest.mark.parametrize("form_id", SAMPLED)
def test_the_first_mistake_stops_the_citizen_on_its_page_by_its_field(registry, citizen_client, form_id):
    invalid = sample(form_id)["invalid"]
    response = citizen_client.answer_pages(citizen_client.start(form_id),
                                           post_data(invalid["post"]).to_dict(flat=False))
    assert not isinstance(response, str) and response.status_code == 400
    page = response.get_data(as_text=True)
    shown = [key for key, message in invalid["errors"].items() if str(escape(message)) in page]
    assert shown, "the page shows none of the expected messages"
    for key in shown:
        field = registry.forms[form_id].field(key)
        while field.children:
            field = field.children[0]
        assert field.html_id in page
