"""How long 1,000 form definitions take to load: at a start of the app and in `eurzad forms check`.

The shipped definitions are copied N times under new ids into a folder of their own, then loaded
- in this process, with no cache (every text parsed and checked in full), and again with the cache of texts
  already checked (engine/parsed.py) filled by the first run: CPU time of the process and wall clock;
- as `eurzad forms check FOLDER` in a new process, cold (empty cache) and warm, wall clock, beside the time
  the same interpreter takes to import the app and do nothing (what any command costs before it starts).

    .venv/bin/python bench/definitions.py --count 1000 --runs 3 > bench/results/DATE-definitions.jsonl
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))

from eurzad.engine.definitions import load_registry  # noqa: E402
from eurzad.engine.parsed import NO_CACHE, ParsedCache  # noqa: E402

EURZAD = Path(sys.executable).with_name("eurzad")


def copies(folder: Path, count: int) -> None:
    shipped = sorted((ROOT / "form_definitions").glob("*.yaml"))
    for number in range(count):
        source = shipped[number % len(shipped)]
        text = re.sub(r"^id: (\S+)", rf"id: \g<1>-{number:04d}", source.read_text("utf-8"), count=1, flags=re.M)
        (folder / f"{source.stem}-{number:04d}.yaml").write_text(text, "utf-8")


def in_process(folder: Path, cache: ParsedCache) -> dict[str, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    forms = load_registry(folder, ROOT / "workflows.yaml", cache).forms
    return {"forms": len(forms), "wall_s": round(time.perf_counter() - wall, 3),
            "cpu_s": round(time.process_time() - cpu, 3)}


def command(args: list[str], instance: Path) -> float:
    env = dict(os.environ, EURZAD_INSTANCE_PATH=str(instance))
    start = time.perf_counter()
    subprocess.run(args, env=env, check=False, capture_output=True)
    return round(time.perf_counter() - start, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder, instance = Path(temporary) / "definitions", Path(temporary) / "instance"
        folder.mkdir()
        instance.mkdir()
        copies(folder, options.count)
        cache = ParsedCache(instance / "cache" / "definitions")
        load = os.getloadavg()[0]
        for run in range(options.runs):
            for label, used in (("no cache", NO_CACHE), ("cache", cache)):
                print(json.dumps({"measure": f"load_registry, {label}", "run": run, "load": load,
                                  **in_process(folder, used)}), flush=True)
        check = [str(EURZAD), "forms", "check", str(folder)]
        for run in range(options.runs):
            imports = command([sys.executable, "-c", "import eurzad.cli"], instance)
            warm = command(check, instance)
            print(json.dumps({"measure": "eurzad forms check, warm cache", "run": run, "wall_s": warm,
                              "import_only_wall_s": imports, "load": os.getloadavg()[0]}), flush=True)
        for path in (instance / "cache" / "definitions").glob("*.json"):
            path.unlink()
        print(json.dumps({"measure": "eurzad forms check, empty cache", "wall_s": command(check, instance),
                          "load": os.getloadavg()[0]}), flush=True)


if __name__ == "__main__":
    main()
