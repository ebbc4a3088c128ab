"""What a citizen's whole submission costs the server: CPU time of the process per request and per submission.

Through the real app (Flask test client, no network, CSRF on as in a browser), a logged-in citizen sends the
shipped public-information form the way a browser does: the service card, Start now, each page shown and
answered, check your answers, Send, and the confirmation page. Every request is timed on its own with the CPU
time of this process (time.process_time), so a loaded machine stretches the figures less than a wall clock.

Alongside, in the same rounds (so they share the machine's noise), the yardstick's two CPU-bound scenarios
(../shared/bench): the page of 10 questions of `public-information-one` (all questions on one page, as
bench/run.sh makes it) and the same page posted invalid (400), with CSRF off as in run.sh; and, when
../shared/bench is there, the hand-written baseline's form page and invalid post, in this same process.

    .venv/bin/python bench/journey.py --runs 100
    .venv/bin/python bench/journey.py --runs 100 --database-url postgresql://postgres@127.0.0.1:5432/test_speed

One JSON line per measure (p50 / p90 in ms); the PostgreSQL database's schema is dropped first. Run the
tree of another commit the same way (PYTHONPATH=its platform/ folder) to compare versions.
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
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
YARDSTICK = ROOT.parent / "shared" / "bench"
FORM, ONE_PAGE = "public-information", "public-information-one"
EMAIL, PASSWORD = "bench.citizen@example.pl", "bench-citizen-password"
ANSWERS = {"information_requested": "Proszę o udostępnienie informacji o wydatkach na oświetlenie uliczne w 2025 r.",
           "topic": "other", "delivery_method": "email", "preferred_format": "pdf", "full_name": "Jan Kowalski",
           "email": "jan@example.pl", "phone": ""}
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def one_page_form(folder: Path) -> None:
    """The shipped forms, and public-information with all its questions on one page (as bench/run.sh makes it)."""
    shutil.copytree(ROOT / "form_definitions", folder)
    text = (folder / f"{FORM}.yaml").read_text(encoding="utf-8")
    head, pages = text.split("  pages:\n", 1)
    fields = "information_requested, topic, delivery_method, preferred_format, address, full_name, email, phone"
    (folder / f"{ONE_PAGE}.yaml").write_text(
        head.replace(f"id: {FORM}", f"id: {ONE_PAGE}") + "  pages:\n    - id: all\n      title: {pl: Wniosek, en: "
        "Request}\n      fields: [" + fields + "]" + pages[pages.index("\n  fields:\n"):], encoding="utf-8")


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50": round(statistics.median(ordered) * 1000, 3),
            "p90": round(ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))] * 1000, 3)}


def timed(call: Callable[[], object]) -> tuple[float, object]:
    start = time.process_time()
    result = call()
    return time.process_time() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100, help="complete submissions (and rounds of the others)")
    parser.add_argument("--database-url", help="PostgreSQL (its schema is dropped); default: SQLite in a temp dir")
    parser.add_argument("--label", default="", help="written on every line (say, the commit measured)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="eurzad-journey-"))
    os.environ["EURZAD_INSTANCE_PATH"] = str(work)
    one_page_form(work / "defs")
    import eurzad
    from eurzad import create_app, schema
    from eurzad.auth.models import Role
    from eurzad.auth.operations import create_user
    from eurzad.extensions import db
    from eurzad.signatures import keys
    from eurzad.timeutil import utcnow

    keys.create(work / "keys", "Urząd Miasta Krosna", "REGON 000526071", utcnow())
    url = args.database_url or f"sqlite:///{work / 'bench.db'}"
    settings = {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "DEFINITIONS_DIR": str(work / "defs"),
                "SESSION_COOKIE_SECURE": False}
    app = create_app(settings)
    with app.app_context():
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            schema.upgrade(conn)
        create_user(EMAIL, "Jan Kowalski", PASSWORD, Role.CITIZEN)
        db.session.commit()
    browser = app.test_client()

    def token(page) -> str:
        return TOKEN.search(page.get_data(as_text=True)).group(1)  # type: ignore[union-attr]

    login = browser.get("/login")
    assert browser.post("/login", data={"login": EMAIL, "password": PASSWORD, "csrf_token": token(login)}
                        ).status_code == 303

    # The yardstick's page: CSRF off, as in bench/run.sh (engine_wsgi.py).
    yard_app = create_app({**settings, "WTF_CSRF_ENABLED": False})
    yard = yard_app.test_client()
    assert yard.post("/login", data={"login": EMAIL, "password": PASSWORD}).status_code == 303
    yard_page = yard.post(f"/forms/{ONE_PAGE}/start").headers["Location"]
    baseline = None
    if (YARDSTICK / "load.py").exists():
        sys.path.insert(0, str(YARDSTICK))
        os.environ.update(DATABASE_URL=f"sqlite:///{work / 'baseline.db'}", BENCH_NO_CSRF="1")
        import baseline_app
        from load import INVALID, VALID  # the yardstick's own payloads
        baseline = baseline_app.create_app()
        with baseline.app_context():
            baseline_app.db.create_all()
        baseline = baseline.test_client()
    else:
        from types import SimpleNamespace
        VALID = INVALID = SimpleNamespace()  # noqa: N806
    invalid = {key: value for key, value in INVALID.items() if key != "consent"} if baseline else {}

    samples: dict[str, list[float]] = defaultdict(list)

    def request(name: str, call: Callable[[], object], status: int) -> object:
        spent, response = timed(call)
        assert response.status_code == status, (name, response.status_code,  # type: ignore[attr-defined]
                                                response.get_data(as_text=True)[:800])  # type: ignore[attr-defined]
        samples[name].append(spent)
        return response

    def journey() -> float:
        """One complete submission; returns its CPU time, every request's in `samples` too."""
        before = {name: len(values) for name, values in samples.items()}
        card = request("GET service card", lambda: browser.get(f"/forms/{FORM}"), 200)
        location = request("POST start", lambda: browser.post(f"/forms/{FORM}/start", data={"csrf_token": token(card)}),
                           303).headers["Location"]  # type: ignore[attr-defined]
        while not location.endswith("/check"):
            page = request("GET page", lambda: browser.get(location), 200)
            html = page.get_data(as_text=True)  # type: ignore[attr-defined]
            asked = {k: v for k, v in ANSWERS.items() if f'name="{k}"' in html}
            location = request("POST page", lambda: browser.post(location, data={**asked, "csrf_token": token(page)}),
                               303).headers["Location"]  # type: ignore[attr-defined]
        check = request("GET check your answers", lambda: browser.get(location), 200)
        done = request("POST send", lambda: browser.post(location, data={"csrf_token": token(check)}), 303)
        request("GET confirmation", lambda: browser.get(done.headers["Location"]), 200)  # type: ignore[attr-defined]
        return sum(sum(values[before.get(name, 0):]) for name, values in samples.items())

    def round_of_all(record: bool) -> None:
        samples["complete submission"].append(journey())
        request("yardstick: engine GET page", lambda: yard.get(yard_page), 200)
        request("yardstick: engine POST invalid", lambda: yard.post(yard_page, data=invalid), 400)
        if baseline is not None:
            request("yardstick: baseline GET page", lambda: baseline.get(f"/forms/{FORM}"), 200)
            request("yardstick: baseline POST invalid", lambda: baseline.post(f"/forms/{FORM}", data=INVALID), 400)
        if not record:
            samples.clear()

    for _ in range(3):
        round_of_all(record=False)  # warm-up: classes built, validators compiled, connections open
    for _ in range(args.runs):
        round_of_all(record=True)
    database = "PostgreSQL" if args.database_url else "SQLite"
    load = os.getloadavg()[0]
    for name, values in samples.items():
        print(json.dumps({"label": args.label, "database": database, "measure": name, "n": len(values),
                          "cpu_ms": percentiles(values), "load": round(load, 1),
                          "code": str(Path(eurzad.__file__).parents[2])}, ensure_ascii=False))
    if baseline is not None:
        for scenario in ("GET page", "POST invalid"):
            engine = statistics.median(samples[f"yardstick: engine {scenario}"])
            hand = statistics.median(samples[f"yardstick: baseline {scenario}"])
            print(json.dumps({"label": args.label, "database": database, "measure": f"baseline ÷ engine, {scenario}",
                              "ratio": round(hand / engine, 3)}, ensure_ascii=False))
    for each in (app, yard_app):
        with each.app_context():
            db.engine.dispose()
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
