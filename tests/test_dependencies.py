"""constraints.txt pins exactly what .venv needs, so two fresh machines install the same versions
(docs/decisions/0021)."""
import re
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
REFRESH = "run `make constraints` and commit constraints.txt with the change to setup.cfg"


def pinned() -> dict[str, str]:
    """constraints.txt as {name: version}."""
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    return pins


def needed() -> set[str]:
    """Every package eurzad[EXTRAS of the Makefile] requires here, directly or not (eurzad excluded)."""
    extras = re.search(r"^EXTRAS := (.+)$", (ROOT / "Makefile").read_text(), re.M).group(1).split(",")
    found: set[str] = set()
    todo = [("eurzad", frozenset(extras))]
    seen = set()
    while todo:
        name, wanted = todo.pop()
        if (name, wanted) in seen:
            continue
        seen.add((name, wanted))
        for line in metadata.requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker and not any(requirement.marker.evaluate({"extra": extra})
                                              for extra in wanted or {""}):
                continue
            found.add(canonicalize_name(requirement.name))
            todo.append((requirement.name, frozenset(requirement.extras)))
    return found - {"eurzad"}


def test_constraints_pin_every_package_the_venv_needs():
    assert sorted(needed() - pinned().keys()) == [], f"not pinned in constraints.txt: {REFRESH}"


def test_constraints_pin_nothing_else():
    assert sorted(pinned().keys() - needed()) == [], f"pinned but no longer required: {REFRESH}"


def test_the_venv_holds_the_pinned_versions():
    pins = pinned()
    installed = {name: metadata.version(name) for name in needed() & pins.keys()}
    assert {n: v for n, v in installed.items() if v != pins[n]} == {}, \
        "the venv differs from constraints.txt: `make clean test` installs the pinned versions"
