#!/usr/bin/env bash
# The engine against the yardstick (../shared/bench), in one run on one machine:
#   reference (constant 200, one SQLite INSERT), baseline and engine on SQLite, baseline and engine
#   on PostgreSQL (the server at 127.0.0.1:5432, fresh databases bench_baseline / bench_engine).
# Same gunicorn settings for every server (2 workers, sync, 127.0.0.1), same wrk scenarios.
# Output: the yardstick's JSON lines on stdout (one per server × scenario), notes on stderr.
# On PostgreSQL the database server's CPU is not counted for either server (cpu_pct.db = 0).
#
# Settings: DURATION=20 CONCURRENCY=16 PHASES="reference sqlite postgresql"
#           SCENARIOS="get_form submit submit_invalid mixed" YARDSTICK=../../shared/bench
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
YARDSTICK=$(cd "${YARDSTICK:-$ROOT/../shared/bench}" && pwd)
DURATION=${DURATION:-20}
CONCURRENCY=${CONCURRENCY:-16}
PHASES=${PHASES:-"reference sqlite postgresql"}
SCENARIOS=${SCENARIOS:-"get_form submit submit_invalid mixed"}
PG=${BENCH_PG:-postgresql://postgres@127.0.0.1:5432}
WORK=$(mktemp -d /tmp/eurzad-bench.XXXXXX)
SERVER_PID=""

log() { echo "# $*" >&2; }
cleanup() { [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

make -C "$ROOT" -s install >/dev/null
[[ -x $ROOT/.venv/bin/gunicorn ]] || "$ROOT/.venv/bin/pip" install -q -e "$ROOT[server]"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; } >&2

fresh_pg() {  # fresh_pg NAME: drop and create a database, print its URL
  psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
  echo "$PG/$1"
}

one_page_form() {  # one_page_form DIR: the shipped forms, and public-information with all its questions on one page
  rm -rf "$1" && cp -r "$ROOT/form_definitions" "$1"
  "$ROOT/.venv/bin/python" - "$1" <<'PY'
import sys
from pathlib import Path
folder = Path(sys.argv[1])
text = (folder / "public-information.yaml").read_text(encoding="utf-8")
head, pages = text.split("  pages:\n", 1)
fields = "information_requested, topic, delivery_method, preferred_format, address, full_name, email, phone"
one = (head.replace("id: public-information", "id: public-information-one")
       + "  pages:\n    - id: all\n      title: {pl: Wniosek, en: Request}\n      fields: [" + fields + "]"
       + pages[pages.index("\n  fields:\n"):])
(folder / "public-information-one.yaml").write_text(one, encoding="utf-8")
PY
}

engine() {  # engine LABEL DATABASE_URL
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  export EURZAD_SECRET_KEY=bench EURZAD_SQLALCHEMY_DATABASE_URI=$2 EURZAD_INSTANCE_PATH=$WORK
  export EURZAD_DEFINITIONS_DIR=$WORK/defs
  one_page_form "$EURZAD_DEFINITIONS_DIR"
  "$ROOT/.venv/bin/eurzad" init >/dev/null
  "$ROOT/.venv/bin/eurzad" users create --role citizen --email bench.citizen@example.pl --name "Jan Kowalski" \
    --password bench-citizen-password >/dev/null
  "$ROOT/.venv/bin/gunicorn" --chdir "$HERE" --bind "127.0.0.1:$port" --workers 2 --worker-class sync \
    --log-level warning 'engine_wsgi:create_bench_app()' &
  SERVER_PID=$!
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
  for scenario in $SCENARIOS; do
    python3 "$YARDSTICK/load.py" "$scenario" --label "$1" --url "http://127.0.0.1:$port" \
      -c "$CONCURRENCY" -d "$DURATION" --server-pid "$SERVER_PID"
  done
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
}

log "$(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); gunicorn 2 x sync; $CONCURRENCY connections; ${DURATION}s"
for phase in $PHASES; do
  case $phase in
    reference|sqlite)
      DURATION=$DURATION CONCURRENCY=$CONCURRENCY PHASES=$phase SCENARIOS=$SCENARIOS "$YARDSTICK/run_baseline.sh"
      [[ $phase == sqlite ]] && engine engine-sqlite "sqlite:///$WORK/engine.db" ;;
    postgresql)
      DURATION=$DURATION CONCURRENCY=$CONCURRENCY PHASES=postgresql SCENARIOS=$SCENARIOS \
        BENCH_PG_URL=$(fresh_pg bench_baseline) "$YARDSTICK/run_baseline.sh"
      engine engine-postgresql "$(fresh_pg bench_engine)" ;;
    *) log "unknown phase $phase"; exit 2 ;;
  esac
done
