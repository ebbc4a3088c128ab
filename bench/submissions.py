"""Load test: many complete submissions on two app servers sharing one PostgreSQL, one worker killed mid-way.

Two gunicorn instances (2 sync workers each, instance folders of their own with the same secret key and a
copy of the same signing keys, as docs/operations.md says for several hosts) serve one PostgreSQL database.
`--clients` threads each log a citizen in and then send the public-information form again and again, every
request to either server at random: the service card, "start", each page, the summary, "send", the
confirmation. When half the submissions are done, one worker process of the first server is killed with
SIGKILL (gunicorn starts another); the requests it held fail and their journeys count as failed.

Afterwards, from the database and from what the clients saw:
- case numbers unique and gap-free: per (department, JRWA, year) the sequence numbers are exactly 1..n, and
  the counter says n;
- every submission a client saw confirmed (its case number on the confirmation page) is stored, with its
  case, its filing receipt (UPP) and its case log; nothing half-stored: no case without a filing and a
  receipt, no filing without a case;
- `eurzad cases verify` finds every hash chain intact.
One JSON line with the figures on stdout; progress on stderr; exit 1 when a check fails.

    .venv/bin/python bench/submissions.py --count 10000 --clients 32   # PostgreSQL at 127.0.0.1:5432
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

import yaml
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FORM = "public-information"
PASSWORD = "bench-citizen-password"
NUMBER = re.compile(r"\b([A-ZĄĆĘŁŃÓŚŹŻ]{2,3}\.\d+\.\d+\.\d{4})\b")


def log(message: str) -> None:
    print(f"# {time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One app host: its own instance folder, a gunicorn master with two sync workers."""

    def __init__(self, instance: Path, env: dict[str, str]):
        self.port = free_port()
        self.env = dict(env, EURZAD_INSTANCE_PATH=str(instance))
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--worker-class", "sync",
             "--timeout", "60", "--log-level", "warning", "eurzad:create_app()"],
            env=self.env, cwd=ROOT, stderr=subprocess.DEVNULL)
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"the server on port {self.port} did not start")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)


class Client:
    """A browser of one citizen: cookies kept by hand (the session cookie is Secure, served over plain HTTP here)."""

    def __init__(self, servers: list[Server]):
        self.servers = servers
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        server = random.choice(self.servers)
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            page = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return response.status, response.getheader("Location") or "", page
        finally:
            connection.close()

    def post_page(self, path: str, answers: dict[str, str], action: str | None = None) -> tuple[int, str, str]:
        """Open the page at `path`, post its form (to `action`, else to the page) with the answers it asks for."""
        status, _, page = self.request("GET", path)
        if status != 200:
            return status, "", page
        names = set(re.findall(r'name="([^"]+)"', page))
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        form = {k: v for k, v in answers.items() if k in names}
        return self.request("POST", action or path, {**form, "csrf_token": token.group(1) if token else ""})

    def login(self, email: str) -> None:
        status, _, _ = self.post_page("/login", {"login": email, "password": PASSWORD})
        assert status == 303, f"log-in as {email}: {status}"

    def send(self, answers: dict[str, str]) -> str:
        """One complete submission; the case number the confirmation shows."""
        status, location, _ = self.post_page(f"/forms/{FORM}", {}, f"/forms/{FORM}/start")  # the card's button
        if status != 303:
            raise RuntimeError(f"start {status}")
        for _ in range(20):
            path = urllib.parse.urlsplit(location).path
            status, location, page = self.post_page(path, answers)
            if status != 303:
                raise RuntimeError(f"{path.rsplit('/', 1)[-1]} {status}")
            if not path.endswith("/check"):
                continue
            status, _, page = self.request("GET", urllib.parse.urlsplit(location).path)
            found = NUMBER.search(page)
            if status != 200 or not found:
                raise RuntimeError(f"confirmation {status}")
            return found.group(1)
        raise RuntimeError("never reached the summary")


def prepare(work: Path, database_url: str, citizens: int) -> dict[str, str]:
    env = dict(os.environ, EURZAD_SQLALCHEMY_DATABASE_URI=database_url, EURZAD_INSTANCE_PATH=str(work / "a"))
    env.pop("EURZAD_SECRET_KEY", None)
    subprocess.run([str(BIN / "eurzad"), "init"], env=env, check=True, capture_output=True)
    shutil.copytree(work / "a", work / "b", ignore=shutil.ignore_patterns("*.db*", "cache"))
    for number in range(citizens):
        subprocess.run([str(BIN / "eurzad"), "users", "create", "--role", "citizen", "--email",
                        f"bench.{number}@example.pl", "--name", "Jan Kowalski", "--password", PASSWORD],
                       env=env, check=True, capture_output=True)
    return env


def check(database_url: str, confirmed: set[str], env: dict[str, str]) -> dict[str, object]:
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as db:
        one = lambda sql: db.execute(text(sql)).scalar()  # noqa: E731
        stored = {row[0] for row in db.execute(text("SELECT number FROM cases"))}
        figures = {
            "cases": one("SELECT count(*) FROM cases"),
            "distinct_numbers": one("SELECT count(DISTINCT number) FROM cases"),
            "series_with_gaps": one("""SELECT count(*) FROM (SELECT department, jrwa, year FROM cases
                                       GROUP BY department, jrwa, year
                                       HAVING min(seq) <> 1 OR max(seq) <> count(*)
                                           OR count(DISTINCT seq) <> count(*)) s"""),
            "counters_not_at_max": one("""SELECT count(*) FROM case_counters k WHERE last_seq <> (SELECT max(seq) FROM
                                          cases c WHERE c.department = k.department AND c.jrwa = k.jrwa
                                          AND c.year = k.year)"""),
            "cases_without_receipt": one("""SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM receipts r
                                            WHERE r.case_id = c.id AND r.kind = 'UPP')"""),
            "cases_without_filing": one("SELECT count(*) FROM cases c WHERE c.submission_id IS NULL OR NOT EXISTS "
                                        "(SELECT 1 FROM submissions s WHERE s.id = c.submission_id)"),
            "filings_without_case": one("SELECT count(*) FROM submissions s WHERE NOT EXISTS "
                                        "(SELECT 1 FROM cases c WHERE c.submission_id = s.id)"),
            "cases_without_log": one("SELECT count(*) FROM cases c WHERE NOT EXISTS "
                                     "(SELECT 1 FROM case_events e WHERE e.case_id = c.id)"),
            "confirmed": len(confirmed),
            "confirmed_not_stored": len(confirmed - stored),
            "stored_not_confirmed": len(stored - confirmed),
        }
    verify = subprocess.run([str(BIN / "eurzad"), "cases", "verify"], env=env, capture_output=True, text=True)
    figures["cases_verify_exit"] = verify.returncode
    figures["cases_verify_last_line"] = (verify.stdout or verify.stderr).strip().splitlines()[-1:]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000, help="complete submissions to attempt")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--citizens", type=int, default=8, help="accounts the clients share")
    parser.add_argument("--postgresql", default="postgresql://postgres@127.0.0.1:5432",
                        help="server URL; the database bench_submissions is dropped and created")
    parser.add_argument("--no-kill", action="store_true", help="do not kill a worker mid-way")
    options = parser.parse_args()
    database_url = f"{options.postgresql}/bench_submissions"
    admin = create_engine(f"{options.postgresql.replace('postgresql://', 'postgresql+psycopg://', 1)}/postgres",
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as db:
        db.execute(text("DROP DATABASE IF EXISTS bench_submissions WITH (FORCE)"))
        db.execute(text("CREATE DATABASE bench_submissions"))
    sample = yaml.safe_load((ROOT / "form_definitions" / "samples" / f"{FORM}.yaml").read_text("utf-8"))
    answers = {key: str(value) for key, value in sample["post"].items()}
    with tempfile.TemporaryDirectory(prefix="eurzad-submissions.") as temporary:
        work = Path(temporary)
        log("set-up: two instance folders, citizens")
        env = prepare(work, database_url, options.citizens)
        servers = [Server(work / "a", env), Server(work / "b", env)]
        log(f"servers on ports {servers[0].port} and {servers[1].port}")
        confirmed: set[str] = set()
        failures: Counter[str] = Counter()
        lock = threading.Lock()
        started = iter(range(options.count))
        killed: dict[str, object] = {}

        def run(number: int) -> None:
            client = Client(servers)
            client.login(f"bench.{number % options.citizens}@example.pl")
            while True:
                with lock:
                    attempt = next(started, None)
                if attempt is None:
                    return
                try:
                    case = client.send(answers)
                except (RuntimeError, OSError, http.client.HTTPException) as exc:
                    with lock:
                        failures[str(exc).split(":")[0][:40]] += 1
                    continue
                with lock:
                    confirmed.add(case)
                    done = len(confirmed) + sum(failures.values())
                    if done % 500 == 0:
                        log(f"{done} done, {sum(failures.values())} failed")
                    if not options.no_kill and not killed and done >= options.count // 2:
                        victim = servers[0].workers()[0]
                        os.kill(victim, signal.SIGKILL)
                        killed.update(pid=victim, after=done)
                        log(f"killed worker {victim} of the first server after {done} submissions")

        begin = time.perf_counter()
        threads = [threading.Thread(target=run, args=(n,)) for n in range(options.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - begin
        for server in servers:
            server.stop()
        log("checking the database")
        figures = check(database_url, confirmed, env)
    ok = (figures["cases"] == figures["distinct_numbers"] and not figures["series_with_gaps"]
          and not figures["counters_not_at_max"] and not figures["cases_without_receipt"]
          and not figures["cases_without_filing"] and not figures["filings_without_case"]
          and not figures["cases_without_log"] and not figures["confirmed_not_stored"]
          and figures["cases_verify_exit"] == 0)
    print(json.dumps({"attempted": options.count, "clients": options.clients, "seconds": round(seconds, 1),
                      "submissions_per_s": round(len(confirmed) / seconds, 1), "failed": dict(failures),
                      "killed": killed, "load": os.getloadavg()[0], **figures, "ok": ok}, ensure_ascii=False))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
