"""Every shipped form has a golden journey: answers → stored JSON → department, and mistakes → messages."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from markupsafe import escape
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from eurzad.cases.models import Case
from eurzad.engine.forms import form_class, read_answers
from eurzad.engine.validation import validate
from eurzad.extensions import db

from .web.test_citizen_journey import field_block

SAMPLES = Path(__file__).parent / "samples"
FORM_IDS = sorted(path.stem for path in (Path(__file__).parents[1] / "form_definitions").glob("*.yaml"))


def sample(form_id: str) -> dict:
    return yaml.safe_load((SAMPLES / f"{form_id}.yaml").read_text(encoding="utf-8"))


def post_data(post: dict) -> MultiDict:
    return MultiDict([(key, item) for key, value in post.items()
                      for item in (value if isinstance(value, list) else [value])])


def test_six_real_forms_are_shipped_each_with_a_sample(registry):
    assert len(registry.forms) == 6
    assert sorted(registry.forms) == FORM_IDS
    assert sorted(path.stem for path in SAMPLES.glob("*.yaml")) == FORM_IDS


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_the_engine_reads_validates_and_routes_the_sample(registry, pl, form_id):
    case = sample(form_id)
    form = registry.forms[form_id]
    data = read_answers(form.fields, form_class(form, "pl")(post_data(case["post"])))
    assert data == case["data"]
    assert validate(form, data, pl) == {}
    route = registry.workflows.route(form.routing, data, form.service.department, form.service.jrwa)
    assert route.department == case["department"]


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_a_citizen_sends_the_sample_and_the_department_gets_the_case(app, citizen_client, form_id):
    case = sample(form_id)
    url = f"/forms/{form_id}"
    page = citizen_client.get(url).get_data(as_text=True)
    assert citizen_client.get(url).status_code == 200 and 'novalidate' in page
    response = citizen_client.submit(url, post_data(case["post"]).to_dict(flat=False))
    assert response.status_code == 303, re.findall(r'class="error-message">(.*?)</p>', response.get_data(as_text=True))
    with app.app_context():
        stored = db.session.scalar(select(Case))
        assert stored.department == case["department"]
        assert stored.number.startswith(f"{case['department']}.")
        assert json.loads(stored.submission.data_json) == case["data"]


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_mistakes_in_the_sample_are_shown_by_their_fields(registry, citizen_client, form_id):
    invalid = sample(form_id)["invalid"]
    response = citizen_client.submit(f"/forms/{form_id}", post_data(invalid["post"]).to_dict(flat=False))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    form = registry.forms[form_id]
    for key, message in invalid["errors"].items():
        field = form.field(key)
        first_input = field
        while first_input.children:
            first_input = first_input.children[0]
        block = field_block(page, first_input.html_id) if not field.children else page
        assert str(escape(message)) in block, f"{key}: {message}"
