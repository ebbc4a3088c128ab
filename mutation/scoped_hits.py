"""A pytest plugin for mutmut runs: code run by a session- or module-scoped fixture counts for every test using it.

mutmut picks the tests to run against a mutant by which tests ran its function. A fixture built once per
session (the app, which loads every definition and workflows.yaml) runs that code during the first test
only, so without this plugin a mutant of build_definition or load_workflows is tried against that one
test and "survives" the tests that would kill it. Loaded by mutation/mutmut.cfg (`-p scoped_hits`).
"""
from __future__ import annotations

import os
from collections import defaultdict

import pytest

_hits_by_fixture: dict[str, set[str]] = defaultdict(set)


def _collecting() -> bool:
    return os.environ.get("MUTANT_UNDER_TEST") == "stats"


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    if not _collecting() or fixturedef.scope == "function":
        yield
        return
    from mutmut.state import state
    before = set(state()._stats)
    yield
    _hits_by_fixture[fixturedef.argname] |= set(state()._stats) - before


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    if not _collecting():
        return
    from mutmut.state import state
    for name in item.fixturenames:
        state()._stats.update(_hits_by_fixture.get(name, ()))
