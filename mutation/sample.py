"""Pick the mutants of a run: a fixed random share of each module's, so every module is measured.

Reads the mutants that mutmut generated (mutants/**/*.meta) and prints one name a line.
MUTATION_SAMPLE is the share of each module (default 0.06, at least 3 a module; `all` takes all),
MUTATION_SEED the seed (default 1): the same seed on the same code picks the same mutants.
MUTATION_ONLY narrows the pick to those to run now: `unchecked` (default: no result yet, so a
stopped run goes on where it stopped), `undetected` (survived or had no test: again after new
tests), both (`unchecked,undetected`) or `all`.
"""
from __future__ import annotations

import json
import math
import os
import random
import sys
from pathlib import Path

UNDETECTED = (0, 5, 33)  # mutmut's exit codes for "survived" and "no tests"


def exit_codes(mutants: Path) -> dict[str, int | None]:
    found: dict[str, int | None] = {}
    for meta in mutants.glob("src/**/*.py.meta"):
        found.update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    return found


def mutants_by_module(mutants: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for meta in sorted(mutants.glob("src/**/*.py.meta")):
        names = sorted(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"], key=natural)
        if names:
            found[str(meta.relative_to(mutants / "src"))[: -len(".py.meta")].replace("/", ".")] = names
    return found


def natural(name: str) -> tuple[str, int]:
    head, _, number = name.rpartition("__mutmut_")
    return head, int(number)


def sample(found: dict[str, list[str]], share: str, seed: int) -> list[str]:
    if share == "all":
        return [name for names in found.values() for name in names]
    rng = random.Random(seed)
    picked: list[str] = []
    # The engine first: it is what the brief measures first, and a run stopped early keeps it.
    for module in sorted(found, key=lambda m: (".engine" not in m, m)):
        names = found[module]
        k = min(len(names), max(3, math.ceil(len(names) * float(share))))
        picked += sorted(rng.sample(names, k), key=natural)
    return picked


def main(mutants: Path, sample_file: Path) -> None:
    """Write the whole sample to `sample_file` (for the report); print the part to run now."""
    chosen = sample(mutants_by_module(mutants), os.environ.get("MUTATION_SAMPLE", "0.06"),
                    int(os.environ.get("MUTATION_SEED", "1")))
    sample_file.write_text("\n".join(chosen) + "\n", encoding="utf-8")
    only, codes = set(os.environ.get("MUTATION_ONLY", "unchecked").split(",")), exit_codes(mutants)
    if "all" not in only:
        chosen = [name for name in chosen if "unchecked" in only and codes.get(name) is None
                  or "undetected" in only and codes.get(name) in UNDETECTED]
    print("\n".join(chosen))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
