#!/usr/bin/env bash
# Mutation test of the engine, access.py and the operations: `make mutation`, by hand (never in CI).
#
# mutmut 3 imports the mutated copy from mutants/src/; the package lives at platform/eurzad, so the
# run happens in a staging folder, mutation/work/ (not committed), whose src/ points at platform/.
# A run tests a fixed random sample of each module's mutants (mutation/sample.py: MUTATION_SAMPLE,
# MUTATION_SEED, MUTATION_ONLY), then prints the kill rate per module (mutation/report.py).
# Arguments instead run those mutants (names or patterns), e.g. run.sh "eurzad.engine.html*".
# Source changed since the last run? MUTATION_FRESH=1 makes the mutants anew.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
work=$here/work
bin=$root/.venv/bin
[ -x "$bin/mutmut" ] || { echo "mutmut is missing: $bin/pip install 'mutmut>=3.8,<4'"; exit 1; }

mkdir -p "$work"
for name in templates form_definitions workflows.yaml platform; do
  ln -sfn "../../$name" "$work/$name"
done
# MUTATION_TESTS_WITHOUT='test_mutation_*' measures the suite without some test files (a "before" figure).
rm -rf "$work/tests" "$work/mutants/tests"
if [ -n "${MUTATION_TESTS_WITHOUT:-}" ]; then
  cp -r "$root/tests" "$work/tests"
  find "$work/tests" -name "$MUTATION_TESTS_WITHOUT" -delete
else
  ln -sfn ../../tests "$work/tests"
fi
export PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}"  # the scoped_hits plugin
ln -sfn ../../platform "$work/src"
if [ "${MUTATION_FRESH:-0}" = 1 ]; then rm -rf "$work/mutants"; fi
{ cat "$root/setup.cfg"; echo; cat "$here/mutmut.cfg"; } > "$work/setup.cfg"
cd "$work"

# One worker: the machine is shared (2 cores).
workers=${MUTATION_WORKERS:-1}
if [ $# -gt 0 ]; then
  "$bin/mutmut" run --max-children "$workers" "$@" || true
  exec "$bin/python" "$here/report.py" "$work/mutants"
fi
if ! compgen -G "mutants/src/eurzad/engine/*.meta" >/dev/null; then
  echo "Making the mutants and finding which tests run each function (a few minutes)..."
  # mutmut has no "generate only": a pattern that matches nothing stops it right after that step.
  "$bin/mutmut" run --max-children "$workers" "no-such-mutant" >/dev/null 2>&1 || true
fi
mapfile -t names < <("$bin/python" "$here/sample.py" "$work/mutants" "$work/sample.txt")
echo "$(wc -l < "$work/sample.txt") mutants in the sample, ${#names[@]} to run now"
if [ ${#names[@]} -gt 0 ]; then
  "$bin/mutmut" run --max-children "$workers" "${names[@]}" > "$work/last-run.log" 2>&1 || true
  tail -n 3 "$work/last-run.log" | tr '\r' '\n' | tail -n 2
fi
"$bin/python" "$here/report.py" "$work/mutants" "$work/sample.txt"
