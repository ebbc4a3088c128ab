"""What signed receipts cost the citizen who sends: sending with receipts as a ratio to sending without them.

Sends the shipped public-information form from its summary page (the POST that files the case) through the
real app (Flask test client, no network), alternately with the receipt made and signed in the request (as
shipped) and without it (`issue_upp` replaced by a stand-in that signs nothing), so both modes share the
machine's noise. Then times the parts: making and signing the receipt alone, the PDF's first download (made
and kept) and a later one (read back). CPU time of this process (time.process_time); one JSON line each.

    .venv/bin/python bench/receipts.py --runs 200
    .venv/bin/python bench/receipts.py --runs 200 --database-url postgresql://postgres@127.0.0.1:5432/bench
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
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
FORM = "public-information"


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)  # noqa: E731
    return {"p50": round(statistics.median(ordered) * 1000, 2), "p95": pick(0.95)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--database-url", help="PostgreSQL (its schema is dropped); default: SQLite in a temp dir")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="eurzad-receipts-"))
    os.environ["EURZAD_INSTANCE_PATH"] = str(work)
    sys.path.insert(0, str(ROOT / "tests"))
    import yaml

    import eurzad.cases.operations as filing
    from conftest import PASSWORD, Browser, make_app  # the suite's browser-like client (and the office's key)
    from eurzad.auth.models import Role
    from eurzad.auth.operations import create_user
    from eurzad.drafts.operations import start_draft
    from eurzad.extensions import db
    from eurzad.receipts.models import Receipt
    from eurzad.timeutil import utcnow

    app = make_app(args.database_url or f"sqlite:///{work / 'bench.db'}")
    app.test_client_class = Browser
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(db.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        db.create_all()
        user = create_user("bench@example.pl", "Bench", PASSWORD, Role.CITIZEN)
        db.session.commit()
        user_id = user.id
    client = app.test_client()
    client.login("bench@example.pl")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    definition = app.extensions["eurzad.registry"].forms[FORM]
    sample = yaml.safe_load((ROOT / "form_definitions" / "samples" / f"{FORM}.yaml").read_text(encoding="utf-8"))
    answers = sample["data"]

    def fresh_draft() -> str:
        with app.app_context():
            draft = start_draft(definition, user_id, utcnow())
            draft.data, draft.visited = dict(answers), [page.id for page in definition.pages]
            db.session.commit()
            return f"/drafts/{draft.id}/check"

    signed = filing.issue_upp

    def unsigned(*_args, **_kwargs):
        return SimpleNamespace(id="-", content_sha256="-")

    def send(with_receipts: bool) -> float:
        url = fresh_draft()  # not timed
        filing.issue_upp = signed if with_receipts else unsigned
        start = time.process_time()
        response = client.post(url, data={"csrf_token": token})
        spent = time.process_time() - start
        filing.issue_upp = signed
        assert response.status_code == 303, response.get_data(as_text=True)[:400]
        return spent

    send(True), send(False)  # warm-up
    samples: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(args.runs):
        for mode in (True, False):
            samples[mode].append(send(mode))
    with_receipts, without = percentiles(samples[True]), percentiles(samples[False])
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(json.dumps({"measure": f"send from the summary, with the receipt signed ({database})", "runs": args.runs,
                      "ms": with_receipts}, ensure_ascii=False))
    print(json.dumps({"measure": f"send from the summary, without a receipt ({database})", "runs": args.runs,
                      "ms": without}, ensure_ascii=False))
    print(json.dumps({"measure": "ratio with / without (p50)",
                      "ratio": round(with_receipts["p50"] / without["p50"], 3)}, ensure_ascii=False))

    with app.app_context():
        case = db.session.scalar(db.select(filing.Case).order_by(filing.Case.id.desc()))
        registry = app.extensions["eurzad.registry"]
        with app.test_request_context():
            parts = []
            for _ in range(args.runs):
                start = time.process_time()
                signed(case, case.submission, registry.workflows, "Bench", utcnow())
                parts.append(time.process_time() - start)
                db.session.rollback()
        print(json.dumps({"measure": "make and sign one receipt (content, canonical JSON, XML, XMLDSig)",
                          "runs": args.runs, "ms": percentiles(parts)}, ensure_ascii=False))
        receipts = [(r.case_id, r.id) for r in db.session.scalars(db.select(Receipt).limit(min(args.runs, 50)))]
    first, again = [], []
    for case_id, receipt_id in receipts:
        for into in (first, again):
            start = time.process_time()
            response = client.get(f"/cases/{case_id}/receipts/{receipt_id}.pdf")
            into.append(time.process_time() - start)
            assert response.status_code == 200 and response.data.startswith(b"%PDF")
    print(json.dumps({"measure": "PDF, first download (rendered, signed, kept)", "runs": len(first),
                      "ms": percentiles(first), "bytes": len(response.data)}, ensure_ascii=False))
    print(json.dumps({"measure": "PDF, a later download (read back)", "runs": len(again), "ms": percentiles(again)},
                     ensure_ascii=False))
    with app.app_context():
        db.engine.dispose()
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
