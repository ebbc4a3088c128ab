"""The clerk's inbox on PostgreSQL with 1,000,000 cases: how long each view takes, and the plans of its queries.

Fills a database of its own (`bench_inbox` on the server at 127.0.0.1:5432, created if missing) in SQL with
generate_series: five departments of unequal size, 13 staff each, 150,000 citizens with Polish names, ten
years of cases (old ones mostly closed, a few left open and overdue, recent ones in every state), some
forwarded (an old number each), and their case logs (about 3 events a case). Then, for a clerk of the
largest department, it times each view `--runs` times, two ways:

  queries  what the view asks the database: the department's staff (for the clerk filter), then one
           statement for the page (26 rows with their filings, applicants and clerks), the marks of its
           cases and the capped counts of the four views (clerk/inbox.py's functions, as the view runs them)
  page     the whole GET through the app (Flask test client, logged in): the session's user, the queries
           above, rendering

and prints one JSON line per view with p50/p95/max in milliseconds: wall clock (the database's time is in
another process), and for the page also the CPU time of this process (`page_cpu_ms`: the app's own work,
which other programs on the machine do not stretch), with the machine's load before and after. `--plans
FILE` writes EXPLAIN (ANALYZE, BUFFERS) of each view's statements.

    .venv/bin/python bench/inbox.py --runs 200 --plans bench/results/inbox-plans.txt   # fills once: ~7 min
    .venv/bin/python bench/inbox.py --refill                                             # a fresh database
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
SERVER = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
CASES = 1_000_000
CITIZENS = 150_000
CLERKS = 12  # and one head, per department
PASSWORD = "bench-inbox-password"
# department, share of the cases, the forms it gets (form, workflow, JRWA class)
DEPARTMENTS = [
    ("GK", 0.40, [("waste-declaration", "standard", "6233"), ("fault-report", "fault", "7011")]),
    ("DR", 0.20, [("road-lane-occupation", "standard", "7230"), ("fault-report", "fault", "7230")]),
    ("FN", 0.15, [("public-information", "public_information", "1431")]),
    ("OR", 0.15, [("public-information", "public_information", "1431")]),
    ("PS", 0.10, [("housing-allowance", "standard", "3146")]),
]
FIRST = ("Jan Anna Piotr Maria Krzysztof Katarzyna Andrzej Małgorzata Tomasz Agnieszka Paweł Barbara Michał Ewa "
         "Marcin Elżbieta Stanisław Zofia Grzegorz Krystyna Józef Joanna Łukasz Magdalena Adam Monika Marek Teresa "
         "Zbigniew Danuta Jerzy Beata Tadeusz Dorota Mateusz Jadwiga Dariusz Aleksandra Mariusz Halina Wojciech "
         "Irena Ryszard Helena Jakub Karolina Kazimierz Jolanta Henryk Iwona Robert Marianna Rafał Natalia Kamil "
         "Grażyna Jacek Urszula Szymon Justyna").split()
STEMS = ("Nowak Kowal Wiśniew Wójcik Kowalczyk Kamiń Lewandow Zieliń Szymań Woźniak Dąbrow Kozłow Jankow Mazur "
         "Kwiatkow Krawczyk Piotrow Grabow Nowakow Pawłow Michal Nowic Adamczyk Dudek Zając Wieczork Jabłoń Król "
         "Majew Olszew Jaworsk Wróbel Malinow Pawlak Witkow Walczak Stępień Górsk Rutkow Michalak Sikor Ostrow "
         "Baran Duda Szewczyk Tomaszew Pietrzak Marciniak Wróblew Zalew Jakubow Jasiń Zawadz Sadow Bąk Chmielew "
         "Włodarczyk Borkow Czarneck Sawick Sokołow Urbań Kubiak Maciejew Szczepań Kucharsk Wilk Kalinow Lis "
         "Mazurek Wysock Adamsk Kaźmierczak Wasilew Sobczak Czerwiń Andrzejew Cieśl Głowack Zakrzew Kołodziej "
         "Sikorsk Krajewsk Gajewsk Szymczak Szulc Baranow Laskow Brzeziń Makowsk Ziółkow Przybylsk Domańsk "
         "Nowick Borowsk Błaszczyk Chojnack Ciesielsk Mróz Szczepaniak Wesołow Góreck Krupa Kaczmarczyk Leszczyń "
         "Lipiń Kowalew Urbańczyk Kozieł Kubick Żak Łukasiew Śliw Żukow Ślusarczyk").split()
ENDINGS = ("ski", "ska", "czyk", "ek", "owicz", "iak")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--database", default="bench_inbox")
    parser.add_argument("--refill", action="store_true", help="drop the tables and fill them again")
    parser.add_argument("--plans", type=Path, help="write EXPLAIN (ANALYZE, BUFFERS) of each view here")
    parser.add_argument("--only", help="comma-separated view names to measure")
    args = parser.parse_args()
    url = f"{SERVER}/{args.database}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.database]).fetchone():
            conn.execute(f'CREATE DATABASE "{args.database}"')
    os.environ["EURZAD_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="eurzad-bench-inbox-")
    sys.path.insert(0, str(ROOT / "platform"))
    from eurzad import create_app
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "SESSION_COOKIE_SECURE": False})
    with app.app_context():
        if args.refill or not filled(app):
            fill(app)
        measure(app, args)


def filled(app) -> bool:
    from sqlalchemy import inspect, text

    from eurzad.extensions import db
    if not inspect(db.engine).has_table("cases"):
        return False
    count = db.session.execute(text("SELECT count(*) FROM cases")).scalar()
    db.session.remove()  # no transaction left open: filling drops the tables
    return count >= CASES


def log(message: str) -> None:
    print(f"# {time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def fill(app) -> None:
    """The tables anew, filled in SQL: staff, citizens, snapshots, submissions, cases, old numbers, case logs."""
    from sqlalchemy import text
    from werkzeug.security import generate_password_hash

    from eurzad import models  # noqa: F401  (every table)
    from eurzad.extensions import db, registry
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    db.create_all()
    reg = registry()
    started = time.perf_counter()
    with db.engine.begin() as conn:
        def run(sql: str, params=None):
            """One statement; without parameters a % is the modulo operator (the driver reads %s otherwise)."""
            return conn.exec_driver_sql(sql if params is not None else sql.replace("%", "%%"), params)

        run("SELECT setseed(0.27)")
        log("staff")
        staff_hash = generate_password_hash(PASSWORD)
        for d, (symbol, _share, _forms) in enumerate(DEPARTMENTS):
            for k in range(CLERKS + 1):
                user_id, role = 1 + d * (CLERKS + 1) + k, "head" if k == CLERKS else "clerk"
                run("INSERT INTO users (id, email, full_name, password_hash, status, department, created_at) "
                    "VALUES (%s, %s, %s, %s, 'active', %s, now())",
                    (user_id, f"{role}{k}.{symbol.lower()}@bench.example.pl",
                     f"{FIRST[(d * 13 + k) % len(FIRST)]} {STEMS[(d * 7 + k) % len(STEMS)]}ski ({symbol} {k})",
                     staff_hash, symbol))
                run("INSERT INTO user_roles (user_id, role) VALUES (%s, %s)", (user_id, role))
        log(f"{CITIZENS} citizens")
        run("""INSERT INTO users (id, email, full_name, status, created_at)
               SELECT 1000 + g, 'c' || g || '@bench.example.pl',
                      (%(first)s::text[])[1 + floor(random() * %(nfirst)s)::int] || ' ' ||
                      (%(stems)s::text[])[1 + floor(random() * %(nstems)s)::int] ||
                      (%(endings)s::text[])[1 + floor(random() * %(nendings)s)::int],
                      'active', now()
               FROM generate_series(1, %(n)s) AS g""",
            {"first": list(FIRST), "nfirst": len(FIRST), "stems": list(STEMS), "nstems": len(STEMS),
             "endings": list(ENDINGS), "nendings": len(ENDINGS), "n": CITIZENS})
        run("INSERT INTO user_roles (user_id, role) SELECT id, 'citizen' FROM users WHERE id > 1000")
        for form_id in {form for _s, _share, forms in DEPARTMENTS for form, _w, _j in forms}:
            definition = reg.forms[form_id]
            run("INSERT INTO definition_snapshots (sha256, form_id, version, text, created_at) "
                "VALUES (%s, %s, %s, %s, now())", (definition.sha256, form_id, definition.version, definition.text))
        log(f"{CASES} cases: what each is")
        run(f"CREATE UNLOGGED TABLE bench_base AS {base_sql(reg)}")
        log("submissions")
        run("""INSERT INTO submissions (id, form_id, form_version, definition_sha256, data_json, data_sha256, locale,
                                        submitted_at, submitter_id, identified_by)
               SELECT b.id, b.form_id, s.version, s.sha256, '{}', md5(b.id::text) || md5(b.id::text), 'pl',
                      b.created_at, b.submitter, 'account'
               FROM bench_base b JOIN definition_snapshots s ON s.form_id = b.form_id""")
        log("cases")
        run("""INSERT INTO cases (id, number, department, jrwa, year, seq, workflow, state, routing, created_at,
                                  submission_id, version, assignee_id, due_on, applicant_id, form_id)
               SELECT id, dept || '.' || jrwa || '.' || (row_number() OVER w) || '.' || yr, dept, jrwa, yr,
                      row_number() OVER w, workflow, state, '{}', created_at, id, 1, assignee, due_on, submitter,
                      form_id
               FROM bench_base WINDOW w AS (PARTITION BY dept, jrwa, yr ORDER BY id)""")
        run("""INSERT INTO case_counters (department, jrwa, year, last_seq)
               SELECT department, jrwa, year, max(seq) FROM cases GROUP BY department, jrwa, year""")
        log("old numbers of forwarded cases (1 %)")
        run("""INSERT INTO case_numbers (case_id, number, department, jrwa, year, seq, until)
               SELECT id, 'OR.' || jrwa || '.' || (100000 + id) || '.' || year, 'OR', jrwa, year, 100000 + id,
                      created_at + interval '3 days'
               FROM cases WHERE id % 100 = 7 AND department <> 'OR'""")
        log("case logs")
        # Stand-in digests, unique as the chain needs them: the bench measures the inbox, not the chains (which
        # `eurzad cases verify` would call broken in every case).
        run("""INSERT INTO case_events (case_id, at, actor_id, action, details, prev_sha256, sha256)
               SELECT e.*, md5(e.id || e.action) || md5(e.action || e.id),
                      md5(e.action || e.id) || md5(e.id || e.action)
               FROM (
               SELECT id, created_at, submitter, 'submission.create' AS action, '{}'::json FROM bench_base
               UNION ALL
               SELECT id, created_at + interval '1 day', assignee, 'case.assign', '{}'::json FROM bench_base
               WHERE assignee IS NOT NULL
               UNION ALL
               SELECT id, created_at + interval '2 days', assignee, 'case.transition', '{}'::json FROM bench_base
               WHERE state NOT IN ('received', 'reported')
               UNION ALL
               SELECT id, created_at + interval '5 days', submitter, 'case.supplement', '{}'::json FROM bench_base
               WHERE id % 50 = 3 AND state NOT IN ('received', 'reported')
               UNION ALL
               SELECT id, created_at + interval '6 days', assignee, 'case.delay', '{}'::json FROM bench_base
               WHERE id % 80 = 5 AND due_on IS NOT NULL) e""")
        run("DROP TABLE bench_base")
        for table in ("users", "submissions", "cases", "case_numbers", "case_events"):
            run(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        log("vacuum analyze")
        conn.exec_driver_sql("VACUUM ANALYZE")
    log(f"filled in {time.perf_counter() - started:.0f} s")


def base_sql(reg) -> str:
    """SELECT of what each case is: department, form, workflow, class, filing time, state, clerk, deadline."""
    from eurzad.clerk.inbox import terminal_states
    terminal = terminal_states(reg.workflows)
    depts, cumulative = [], 0.0
    for d, (symbol, share, forms) in enumerate(DEPARTMENTS):
        cumulative += share
        form_case = " ".join(f"WHEN {i} THEN '{value}'" for i, value in enumerate(f[0] for f in forms))
        flow_case = " ".join(f"WHEN {i} THEN '{value}'" for i, value in enumerate(f[1] for f in forms))
        jrwa_case = " ".join(f"WHEN {i} THEN '{value}'" for i, value in enumerate(f[2] for f in forms))
        depts.append((cumulative, d, symbol, len(forms), form_case, flow_case, jrwa_case))
    pick = lambda column: "CASE " + " ".join(  # noqa: E731
        f"WHEN r_dept < {cut:.4f} THEN {value}" for cut, *value_of in depts
        for value in [column(*value_of)]) + " END"
    closed = {flow: sorted(states) for flow, states in terminal.items()}
    closing = "CASE workflow " + " ".join(
        f"WHEN '{flow}' THEN (ARRAY[{', '.join(repr(s) for s in states)}])"
        f"[1 + floor(r_state * 100)::int % {len(states)}]" for flow, states in closed.items() if states) + " END"
    return f"""
      WITH raw AS (
        SELECT g AS id, random() AS r_dept, random() AS r_form, random() AS r_state, random() AS r_open,
               random() AS r_clerk, 1001 + floor(random() * {CITIZENS})::int AS submitter,
               (now() AT TIME ZONE 'UTC') - interval '3650 days' * (1 - g::float / {CASES})
                 - interval '1 minute' * floor(random() * 600) AS created_at
        FROM generate_series(1, {CASES}) AS g),
      chosen AS (
        SELECT raw.*,
               {pick(lambda d, symbol, nforms, *_: f"'{symbol}'")} AS dept,
               {pick(lambda d, symbol, nforms, *_: str(d))} AS dept_no,
               {pick(lambda d, symbol, nforms, form_case, *_:
                     f"CASE floor(r_form * {nforms})::int {form_case} END")} AS form_id,
               {pick(lambda d, symbol, nforms, form_case, flow_case, *_:
                     f"CASE floor(r_form * {nforms})::int {flow_case} END")} AS workflow,
               {pick(lambda d, symbol, nforms, form_case, flow_case, jrwa_case:
                     f"CASE floor(r_form * {nforms})::int {jrwa_case} END")} AS jrwa,
               created_at < now() - interval '60 days' AS old
        FROM raw),
      stated AS (
        SELECT chosen.*,
               CASE WHEN old AND r_open >= 0.015 THEN {closing}
                    WHEN old AND r_open < 0.003 THEN 'awaiting_citizen'
                    WHEN old THEN CASE workflow WHEN 'fault' THEN 'scheduled' ELSE 'in_progress' END
                    WHEN r_open < 0.25 THEN CASE workflow WHEN 'fault' THEN 'reported' ELSE 'received' END
                    WHEN r_open < 0.65 THEN CASE workflow WHEN 'fault' THEN 'scheduled' ELSE 'in_progress' END
                    WHEN r_open < 0.75 THEN 'awaiting_citizen'
                    ELSE {closing} END AS state
        FROM chosen)
      SELECT id, dept, form_id, workflow, jrwa, created_at, submitter, state,
             extract(year FROM created_at)::int AS yr,
             CASE WHEN state IN ('received', 'reported') AND r_clerk < 0.7 THEN NULL
                  WHEN r_clerk < 0.08 THEN NULL
                  ELSE 1 + dept_no * {CLERKS + 1} + floor(r_clerk * 1000)::int % {CLERKS} END AS assignee,
             CASE WHEN state = 'awaiting_citizen' OR state IN ({', '.join(repr(s) for s in
                                                              sorted(set().union(*terminal.values())))}) THEN NULL
                  WHEN workflow = 'public_information' THEN (created_at + interval '14 days')::date
                  ELSE (created_at + interval '30 days')::date END AS due_on
      FROM stated"""


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50": round(statistics.median(ordered), 2), "p95": round(ordered[int(len(ordered) * 0.95) - 1], 2),
            "max": round(ordered[-1], 2)}


def measure(app, args) -> None:
    """Each view, `args.runs` times: the database's part alone, then the whole page."""
    from flask_login import login_user
    from sqlalchemy import select

    from eurzad.auth.models import User
    from eurzad.cases.models import Case, CaseNumber
    from eurzad.clerk import inbox
    from eurzad.extensions import db
    clerk = db.session.scalars(select(User).where(User.email == "clerk3.gk@bench.example.pl")).unique().one()
    head = db.session.scalars(select(User).where(User.email == "head12.gk@bench.example.pl")).unique().one()
    rng = random.Random(5)
    gk = [n for (n,) in db.session.execute(select(Case.number).where(Case.department == "GK", Case.id % 997 == 1))]
    old = [n for (n,) in db.session.execute(select(CaseNumber.number).join(Case, Case.id == CaseNumber.case_id)
                                            .where(Case.department == "GK").limit(500))]
    surnames = [stem.lower() + ending for stem in STEMS[:40] for ending in ENDINGS[:2]]
    views = {
        "mine": lambda: "view=mine",
        "department": lambda: "",
        "overdue": lambda: "view=overdue",
        "unassigned": lambda: "view=unassigned",
        "search: number": lambda: f"q={rng.choice(gk)}",
        "search: old number": lambda: f"q={rng.choice(old).lower()}",
        "search: surname": lambda: f"q={rng.choice(surnames)}",
        "search: first name and surname": lambda: f"q={rng.choice(FIRST).lower()}+{rng.choice(surnames)}",
        "filter: a clerk's open cases by deadline": lambda: f"assignee={clerk.id + rng.randrange(-2, 3)}"
                                                              "&state=open&sort=deadline",
        "filter: form and received in a month": lambda: "form=fault-report&from=01.03.2024&to=31.03.2024",
        "department, page 40": lambda: "page=40",
    }
    if args.only:
        views = {name: make for name, make in views.items() if name in args.only.split(",")}
    client = app.test_client()
    assert client.post("/login", data={"login": clerk.email, "password": PASSWORD}).status_code == 303
    machine = {"cores": os.cpu_count(), "load": os.getloadavg(), "runs": args.runs,
               "cases": db.session.execute(select(db.func.count()).select_from(Case)).scalar()}
    print(json.dumps({"machine": machine}), flush=True)
    plans = []
    for name, make in views.items():
        database, page, cpu = [], [], []
        load = os.getloadavg()[0]
        for run in range(args.runs + 5):  # the first five warm the caches and are not counted
            query = make()
            with app.test_request_context(f"/clerk/?{query}"):
                login_user(clerk)
                started = time.perf_counter()
                statements = view_statements(app, inbox, query, clerk)
                database.append((time.perf_counter() - started) * 1000)
            started, used = time.perf_counter(), time.process_time()
            response = client.get(f"/clerk/?{query}")
            page.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
            assert response.status_code == 200, (name, query, response.status_code)
            db.session.remove()
            if run < 5:
                database.pop(), page.pop(), cpu.pop()
        print(json.dumps({"view": name, "example": query, "queries_ms": percentiles(database),
                          "page_ms": percentiles(page), "page_cpu_ms": percentiles(cpu),
                          "load": [round(load, 1), round(os.getloadavg()[0], 1)]}, ensure_ascii=False), flush=True)
        if args.plans:
            plans.append((name, query, statements))
    client.post("/logout")
    assert client.post("/login", data={"login": head.email, "password": PASSWORD}).status_code == 303
    times, load = [], os.getloadavg()[0]
    for _run in range(args.runs + 5):
        started = time.perf_counter()
        assert client.get("/clerk/workload").status_code == 200
        times.append((time.perf_counter() - started) * 1000)
    print(json.dumps({"view": "head: who holds what", "page_ms": percentiles(times[5:]),
                      "load": [round(load, 1), round(os.getloadavg()[0], 1)]}), flush=True)
    if args.plans:
        with app.test_request_context("/clerk/workload"):
            login_user(head)
            from eurzad.clerk.views import _inbox_scope
            workload = inbox.workload(_inbox_scope(), [user.id for user in db.session.scalars(
                inbox.staff_query("GK")).unique()])
        plans.append(("head: who holds what", "", [("counts per clerk", workload)]))
        write_plans(args.plans, plans)


def view_statements(app, inbox, query: str, clerk) -> list[tuple[str, object]]:
    """What the inbox view asks the database for this address, asked here (the department's staff, then the
    page with its marks and counts in one statement); the statements, for their plans."""
    from flask import request

    from eurzad.clerk.views import _inbox_choices, _inbox_scope
    from eurzad.extensions import db
    staff_query = inbox.staff_query(clerk.department)
    staff = db.session.scalars(staff_query).unique().all()
    filters = inbox.read_filters(request.args, _inbox_choices(staff))
    listing = inbox.listing(filters, _inbox_scope(), app.config["PER_PAGE"])
    db.session.execute(listing).all()
    return [("staff", staff_query), ("page, marks and counts", listing)]


def write_plans(path: Path, plans) -> None:
    from eurzad.extensions import db
    with path.open("w", encoding="utf-8") as out, db.engine.connect() as conn:
        for name, query, statements in plans:
            for part, stmt in statements:
                compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
                rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + str(compiled), compiled.params).all()
                out.write(f"=== {name} ({query or 'no arguments'}): {part}\n")
                out.write("\n".join(row[0] for row in rows) + "\n\n")
    log(f"plans written to {path}")


if __name__ == "__main__":
    main()
