#!/usr/bin/env bash
# Run chosen tests against one mutant of the last `make mutation`: mutation/confirm.sh MUTANT TEST...
# For a survivor whose killing test mutmut did not pick: it picks the tests that ran the mutated
# function in its first run, and a function whose result is cached for the whole session (the form
# classes in engine/forms.py) ran in one test only. Exit status 1 with a failing test: killed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mutant=$1; shift
cd "$here/work/mutants"
MUTANT_UNDER_TEST=$mutant PYTHONPATH=src "$here/../.venv/bin/python" -m pytest -x -q -p no:cacheprovider "$@"
