"""Kill rate per module of the last mutation run, and the surviving mutants, from mutmut's files.

Usage: report.py MUTANTS_DIR [SAMPLE_FILE]. Counts only the mutants in SAMPLE_FILE (one name a
line) when given, else every mutant that has a result. Writes MUTANTS_DIR/../results.jsonl, one
mutant a line: {"mutant", "module", "status"}.
"""
from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped",
          36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout", 255: "timeout",
          None: "not checked"}
DETECTED = ("killed", "timeout")


def results(mutants: Path) -> dict[str, int | None]:
    found: dict[str, int | None] = {}
    for meta in mutants.glob("src/**/*.py.meta"):
        found.update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    return found


def main(mutants: Path, sample: Path | None) -> None:
    codes = results(mutants)
    names = sample.read_text().split() if sample else [n for n, c in codes.items() if c is not None]
    rows = [{"mutant": n, "module": n.rpartition(".x")[0], "status": STATUS.get(codes.get(n), "suspicious")}
            for n in names]
    with open(mutants.parent / "results.jsonl", "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    by_module: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        by_module[row["module"]][row["status"]] += 1
    columns = ("killed", "timeout", "survived", "no tests", "not checked")
    print(f"{'module':34} {'mutants':>7} " + " ".join(f"{c:>11}" for c in columns) + "  kill rate")
    total: Counter[str] = Counter()
    for module in sorted(by_module, key=lambda m: (".engine" not in m, m)):
        counts = by_module[module]
        total += counts
        print(line(module, counts, columns))
    print(line("all", total, columns))
    print("\nNot killed:")
    for row in rows:
        if row["status"] not in DETECTED + ("not checked",):
            print(f"  {row['status']:9} {row['mutant']}")


def line(module: str, counts: Counter[str], columns: tuple[str, ...]) -> str:
    checked = sum(counts.values()) - counts["not checked"]
    rate = f"{100 * sum(counts[s] for s in DETECTED) / checked:5.1f} %" if checked else "    -"
    return f"{module:34} {sum(counts.values()):>7} " + " ".join(f"{counts[c]:>11}" for c in columns) + f"  {rate}"


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None)
