"""The case log is read in words: every action the code writes has a label in both languages."""
from __future__ import annotations

import re
from pathlib import Path

from eurzad.audit.models import ACTIONS

PACKAGE = Path(__file__).resolve().parents[1] / "platform" / "eurzad"


def test_every_action_written_to_a_log_has_words():
    written = {match for path in PACKAGE.rglob("*.py")  # action="…", and the case log's record(case, "…", …)
               for match in re.findall(r'(?:action=|record\(\w+, )"([a-z_]+\.[a-z_]+)"',
                                       path.read_text(encoding="utf-8"))}
    assert {"case.supplement", "case.delivery", "case.transition"} <= written  # the scan finds them
    assert sorted(written - set(ACTIONS)) == []
