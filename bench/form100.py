"""Server time of the engine on a big form: 100 fields and 100 conditions on one page.

Generates the form, serves it through the real app (Flask test client, no network), and times
rendering the page, sending it back valid and invalid, and the engine's own work (walk + validate)
alone. Prints one JSON line per measurement: p50/p90/p99 in milliseconds over --runs runs.

Time is the CPU time of this process (time.process_time), not the wall clock: on a shared machine
another process's work would otherwise be counted as ours. The SQLite commit's wait for the disk is
therefore not in the figures.

    .venv/bin/python bench/form100.py --runs 300
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("text", "number", "radios", "date", "checkboxes")


def generate(fields: int = 100) -> str:
    """A form whose every field but the first has a condition on the one before it."""
    props, ui, posted = [], [], {}
    for i in range(fields):
        kind, name = KINDS[i % len(KINDS)], f"f{i:03d}"
        label = f"{{label: {{pl: Pytanie {i}, en: Question {i}}}"
        if kind == "text":
            props.append(f"    {name}: {{type: string, minLength: 2, maxLength: 100}}")
            posted[name] = f"odpowiedź {i}"
        elif kind == "number":
            props.append(f"    {name}: {{type: integer, minimum: 0, maximum: 1000}}")
            posted[name] = str(i)
        elif kind == "radios":
            props.append(f"    {name}: {{type: string, enum: [a, b, c]}}")
            label += ", options: {a: {pl: A, en: A}, b: {pl: B, en: B}, c: {pl: C, en: C}}"
            posted[name] = "b"
        elif kind == "date":
            props.append(f"    {name}: {{type: string, format: date}}")
            posted[name] = "2026-05-14"
        else:
            props.append(f"    {name}: {{type: array, uniqueItems: true, items: {{enum: [x, y, z]}}}}")
            label += ", options: {x: {pl: X, en: X}, y: {pl: Y, en: Y}, z: {pl: Z, en: Z}}"
            posted[name] = ["x", "z"]
        if i:
            word = "visible_if" if i % 2 else "required_if"
            label += f", {word}: {{field: f{i - 1:03d}, empty: false}}"
        ui.append(f"    {name}: {label}}}")
    names = ", ".join(f"f{i:03d}" for i in range(fields))
    text = f"""id: form100
version: 1
title: {{pl: Formularz na 100 pól, en: A form of 100 fields}}
service:
  department: OR
  jrwa: "1431"
  legal_basis: {{pl: Test, en: Test}}
  fee: {{pl: Bezpłatnie, en: Free}}
  deadline: {{days: 14}}
workflow: standard
schema:
  type: object
  additionalProperties: false
  required: [f000]
  properties:
{chr(10).join(props)}
ui:
  pages:
    - id: all
      title: {{pl: Wszystkie pytania, en: All questions}}
      fields: [{names}]
  fields:
{chr(10).join(ui)}
"""
    return text, posted


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)  # noqa: E731
    return {"p50": round(statistics.median(ordered) * 1000, 2), "p90": pick(0.9), "p99": pick(0.99)}


def timed(runs: int, call) -> list[float]:
    call()  # warm-up: caches of compiled forms and templates
    samples = []
    for _ in range(runs):
        start = time.process_time()
        call()
        samples.append(time.process_time() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="eurzad-form100-"))
    os.environ["EURZAD_INSTANCE_PATH"] = str(work)
    shutil.copytree(ROOT / "form_definitions", work / "defs")
    text, posted = generate()
    (work / "defs" / "form100.yaml").write_text(text, encoding="utf-8")

    sys.path.insert(0, str(ROOT / "tests"))
    from babel.support import Translations

    from conftest import PASSWORD, Browser, make_app  # the suite's browser-like client
    from eurzad.auth.models import Role
    from eurzad.auth.operations import create_user
    from eurzad.engine.journey import walk
    from eurzad.engine.messages import Translator
    from eurzad.engine.validation import validate
    from eurzad.extensions import db

    app = make_app(f"sqlite:///{work / 'bench.db'}", DEFINITIONS_DIR=str(work / "defs"))
    app.test_client_class = Browser
    with app.app_context():
        db.create_all()
        create_user("bench@example.pl", "Bench", PASSWORD, Role.CITIZEN)
        db.session.commit()
    client = app.test_client()
    client.login("bench@example.pl")
    page = client.start("form100")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).get_data(as_text=True)).group(1)
    valid = {**posted, "csrf_token": token}
    invalid = {**valid, **{f"f{i:03d}": "x" for i in range(0, 100, 5)}}  # every text answer too short

    assert client.post(page, data=valid).status_code == 303, "the valid post was refused"
    assert client.post(page, data=invalid).status_code == 400, "the invalid post was accepted"
    definition = app.extensions["eurzad.registry"].forms["form100"]
    translator = Translator("pl", Translations.load(str(ROOT / "platform/eurzad/translations"), ["pl"]))
    from werkzeug.datastructures import MultiDict

    from eurzad.engine.forms import form_class, read_answers
    form_data = MultiDict([(k, v) for k, vs in posted.items() for v in (vs if isinstance(vs, list) else [vs])])

    def engine_only():
        data = read_answers(definition.fields, form_class(definition, "pl", definition.pages[0])(form_data))
        journey = walk(definition.pages, data)
        assert validate(definition, journey.data, translator, required=journey.required) == {}

    from eurzad.cases.operations import file_submission  # noqa: F401  (the operation the last measure times)
    from eurzad.drafts.operations import start_draft
    from eurzad.timeutil import utcnow
    journey_data = walk(definition.pages, read_answers(
        definition.fields, form_class(definition, "pl", definition.pages[0])(form_data))).data
    with app.app_context():
        user_id = db.session.execute(db.text("SELECT id FROM users")).scalar_one()

    def fresh_draft() -> str:
        with app.app_context():
            draft = start_draft(definition, user_id, utcnow())
            draft.data, draft.visited = journey_data, ["all"]
            db.session.commit()
            return f"/drafts/{draft.id}/check"

    def timed_send(runs: int) -> list[float]:
        samples = []
        for _ in range(runs + 1):
            url = fresh_draft()  # not timed
            start = time.process_time()
            response = client.post(url, data={"csrf_token": token})
            samples.append(time.process_time() - start)
            assert response.status_code == 303
        return samples[1:]

    measurements = {
        "render page (GET, 100 fields filled in)": lambda: client.get(page),
        "send page valid (POST: read, walk, validate, save)": lambda: client.post(page, data=valid),
        "send page invalid (POST: 20 errors, re-render)": lambda: client.post(page, data=invalid),
        "engine only: read + walk + validate (no Flask)": engine_only,
    }
    for name, call in measurements.items():
        print(json.dumps({"measure": name, "runs": args.runs, "ms": percentiles(timed(args.runs, call))},
                         ensure_ascii=False))
    print(json.dumps({"measure": "send (POST from the summary: validate all, file the case, SQLite)",
                      "runs": args.runs, "ms": percentiles(timed_send(args.runs))}, ensure_ascii=False))
    with app.app_context():
        db.engine.dispose()
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
