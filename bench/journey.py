"""What a citizen's whole submission costs the server: CPU time of the process per request and per submission.

Through the real app (Flask test client, no network, CSRF on as in a browser), a logged-in citizen sends the
shipped public-information form the way a browser does: the service card, Start now, each page shown and
answered, check your answers, Send, and the confirmation page. Every request is timed on its own with the CPU
time of this process (time.process_time), so a loaded machine stretches the figures less than a wall clock,
and the SQL statements it sends are counted.

Alongside, in the same rounds (so they share the machine's noise), the yardstick's two CPU-bound scenarios
(../shared/bench): the page of 10 questions of `public-information-one` (all questions on one page, as
bench/run.sh makes it) and the same page posted invalid (400), with CSRF off as in run.sh; and, when
../shared/bench is there, the hand-written baseline's form page and invalid post, in this same process.

`--against DIR` runs the code of another checkout (say, `git archive` of an older commit, with its compiled
catalogs) in this same process, request by request alternately with this one: its package is copied under
another name beside its templates. Differences smaller than the noise of one run are then still visible.

    .venv/bin/python bench/journey.py --runs 100
    .venv/bin/python bench/journey.py --runs 100 --database-url postgresql://postgres@127.0.0.1:5432/test_speed
    .venv/bin/python bench/journey.py --runs 100 --against /tmp/old-checkout

One JSON line per measure (p50 / p90 in ms, mean statements); a PostgreSQL database's schema is dropped first
(with --against on PostgreSQL, give the other checkout a database of its own: --against-database-url).
"""
from __future__ import annotations

import argparse
import importlib
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
from typing import Any

from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[1]
YARDSTICK = ROOT.parent / "shared" / "bench"
FORM, ONE_PAGE = "public-information", "public-information-one"
EMAIL, PASSWORD = "bench.citizen@example.pl", "bench-citizen-password"
ANSWERS = {"information_requested": "Proszę o udostępnienie informacji o wydatkach na oświetlenie uliczne w 2025 r.",
           "topic": "other", "delivery_method": "email", "preferred_format": "pdf", "full_name": "Jan Kowalski",
           "email": "jan@example.pl", "phone": ""}
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
JOURNEY = ("GET service card", "POST start", "GET page", "POST page", "GET check your answers", "POST send",
           "GET confirmation")


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


def token(page: Any) -> str:
    return TOKEN.search(page.get_data(as_text=True)).group(1)  # type: ignore[union-attr]


def other_checkout(folder: Path, work: Path) -> str:
    """Another checkout's package, copied as `eurzad_against` beside its templates so both import side by side."""
    tree = work / "against"
    shutil.copytree(folder / "platform" / "eurzad", tree / "platform" / "eurzad_against")
    shutil.copytree(folder / "templates", tree / "templates")
    shutil.copy(folder / "workflows.yaml", tree)
    sys.path.insert(0, str(tree / "platform"))
    return "eurzad_against"


class Engine:
    """One checkout's app, set up for the rounds: a logged-in citizen's browser and the yardstick's client."""

    def __init__(self, package: str, url: str, work: Path):
        self.package = package
        eurzad = importlib.import_module(package)
        self.code = str(Path(eurzad.__file__).parents[2])
        sub = lambda name: importlib.import_module(f"{package}.{name}")  # noqa: E731
        db = sub("extensions").db
        settings = {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "DEFINITIONS_DIR": str(work / "defs"),
                    "SESSION_COOKIE_SECURE": False}
        self.app = eurzad.create_app(settings)
        with self.app.app_context():
            with db.engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
                sub("schema").upgrade(conn)
            sub("auth.operations").create_user(EMAIL, "Jan Kowalski", PASSWORD, sub("auth.models").Role.CITIZEN)
            db.session.commit()
        self.browser = self.app.test_client()
        login = self.browser.get("/login")
        assert self.browser.post("/login", data={"login": EMAIL, "password": PASSWORD, "csrf_token": token(login)}
                                 ).status_code == 303
        # The yardstick's page: CSRF off, as in bench/run.sh (engine_wsgi.py).
        self.yard_app = eurzad.create_app({**settings, "WTF_CSRF_ENABLED": False})
        self.yard = self.yard_app.test_client()
        assert self.yard.post("/login", data={"login": EMAIL, "password": PASSWORD}).status_code == 303
        self.yard_page = self.yard.post(f"/forms/{ONE_PAGE}/start").headers["Location"]
        self.sent: list[str] = []
        for each in (self.app, self.yard_app):
            with each.app_context():
                event.listen(db.engine, "before_cursor_execute", lambda *args: self.sent.append(args[2]))
        self.db = db

    def close(self) -> None:
        for each in (self.app, self.yard_app):
            with each.app_context():
                self.db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100, help="complete submissions (and rounds of the others)")
    parser.add_argument("--database-url", help="PostgreSQL (its schema is dropped); default: SQLite in a temp dir")
    parser.add_argument("--against", type=Path, help="another checkout, run alternately in this process")
    parser.add_argument("--against-database-url", help="the other checkout's PostgreSQL (its schema is dropped)")
    parser.add_argument("--label", default="", help="written on every line (say, the commit measured)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="eurzad-journey-"))
    os.environ["EURZAD_INSTANCE_PATH"] = str(work)
    one_page_form(work / "defs")
    from eurzad.signatures import keys
    from eurzad.timeutil import utcnow

    keys.create(work / "keys", "Urząd Miasta Krosna", "REGON 000526071", utcnow())
    engines = [Engine("eurzad", args.database_url or f"sqlite:///{work / 'bench.db'}", work)]
    if args.against:
        engines.append(Engine(other_checkout(args.against, work), args.against_database_url or
                              f"sqlite:///{work / 'against.db'}", work))
    baseline = None
    if (YARDSTICK / "load.py").exists():
        sys.path.insert(0, str(YARDSTICK))
        os.environ.update(DATABASE_URL=f"sqlite:///{work / 'baseline.db'}", BENCH_NO_CSRF="1")
        import baseline_app
        from load import INVALID  # the yardstick's own payload
        baseline = baseline_app.create_app()
        with baseline.app_context():
            baseline_app.db.create_all()
        baseline = baseline.test_client()
        invalid = {key: value for key, value in INVALID.items() if key != "consent"}
    samples: dict[tuple[str, str], list[float]] = defaultdict(list)
    statements: dict[tuple[str, str], list[int]] = defaultdict(list)  # SQL statements sent (BEGIN/COMMIT aside)

    def request(engine: Engine | None, name: str, status: int, call: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        sent = engine.sent if engine is not None else []
        sent.clear()
        start = time.process_time()
        response = call(*args, **kw)
        spent = time.process_time() - start
        assert response.status_code == status, (name, response.status_code, response.get_data(as_text=True)[:800])
        key = (engine.package if engine is not None else "baseline", name)
        samples[key].append(spent)
        statements[key].append(len(sent))
        return response

    def journey(engine: Engine) -> None:
        """One complete submission: every request in `samples`, and their sum."""
        browser = engine.browser
        start = sum(sum(samples[(engine.package, name)]) for name in JOURNEY)
        card = request(engine, "GET service card", 200, browser.get, f"/forms/{FORM}")
        location = request(engine, "POST start", 303, browser.post, f"/forms/{FORM}/start",
                           data={"csrf_token": token(card)}).headers["Location"]
        while not location.endswith("/check"):
            page = request(engine, "GET page", 200, browser.get, location)
            html = page.get_data(as_text=True)
            asked = {k: v for k, v in ANSWERS.items() if f'name="{k}"' in html}
            location = request(engine, "POST page", 303, browser.post, location,
                               data={**asked, "csrf_token": token(page)}).headers["Location"]
        check = request(engine, "GET check your answers", 200, browser.get, location)
        done = request(engine, "POST send", 303, browser.post, location, data={"csrf_token": token(check)})
        request(engine, "GET confirmation", 200, browser.get, done.headers["Location"])
        samples[(engine.package, "complete submission")].append(
            sum(sum(samples[(engine.package, name)]) for name in JOURNEY) - start)

    def round_of_all(number: int) -> None:
        order = engines if number % 2 == 0 else engines[::-1]  # neither checkout always goes first
        for engine in order:
            journey(engine)
        for engine in order:
            request(engine, "yardstick: GET page", 200, engine.yard.get, engine.yard_page)
            if baseline is not None:
                request(engine, "yardstick: POST invalid", 400, engine.yard.post, engine.yard_page, data=invalid)
        if baseline is not None:
            request(None, "yardstick: GET page", 200, baseline.get, f"/forms/{FORM}")
            request(None, "yardstick: POST invalid", 400, baseline.post, f"/forms/{FORM}", data=INVALID)

    for number in range(3):
        round_of_all(number)  # warm-up: classes built, validators compiled, connections open
    samples.clear()
    statements.clear()
    for number in range(args.runs):
        round_of_all(number)
    database = "PostgreSQL" if args.database_url else "SQLite"
    load = round(os.getloadavg()[0], 1)
    codes = {engine.package: engine.code for engine in engines} | {"baseline": str(YARDSTICK)}
    for (package, name), values in samples.items():
        print(json.dumps({"label": args.label, "database": database, "code": codes[package], "measure": name,
                          "n": len(values), "cpu_ms": percentiles(values), "load": load,
                          "statements": round(statistics.mean(statements[(package, name)]), 2)
                          if (package, name) in statements else None}, ensure_ascii=False))
    if baseline is not None:
        for engine in engines:
            for scenario in ("GET page", "POST invalid"):
                ratio = (statistics.median(samples[("baseline", f"yardstick: {scenario}")])
                         / statistics.median(samples[(engine.package, f"yardstick: {scenario}")]))
                print(json.dumps({"label": args.label, "database": database, "code": engine.code,
                                  "measure": f"engine ÷ baseline (speed: baseline CPU / engine CPU), {scenario}",
                                  "ratio": round(ratio, 3), "load": load}, ensure_ascii=False))
    for engine in engines:
        engine.close()
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
