"""The daily seal of the chain heads: a case log whose last events were deleted, which holds on its own, no
longer holds the head a seal has for it; a seal changed, removed from the middle or signed by another key is
named too."""
from __future__ import annotations

import re

from eurzad.cli import main
from eurzad.timeutil import utcnow

from .test_case_log_chain import assert_names, cli, events, office, sql, verify  # noqa: F401 - the fixture


def test_a_tail_deleted_after_a_seal_is_named_even_once_the_log_goes_on(app, client, office):  # noqa: F811
    log = events(app, office.case)
    result = cli(app, "cases", "seal")
    assert result.exit_code == 0 and result.stdout.startswith("Seal 1: the heads of 2 case(s) changed")
    assert cli(app, "cases", "seal").stdout.startswith("Seal 2: the heads of 0 case(s)")  # nothing new: still one
    sql(app, "DELETE FROM case_events WHERE id = :id", id=log[-1].id)
    made = utcnow().strftime("%Y-%m-%d")
    assert_names(app, f"case {office.number}: events after event {log[-2].id} ({log[-2].action}) were deleted: the "
                      f"seal of {made} (seal 1) holds a later head")
    client.get(f"/clerk/cases/{office.case}")  # the log goes on (case.view) from the shortened chain
    viewed = events(app, office.case)[-1]
    assert len(events(app, office.case)) == len(log) and viewed.action == "case.view"
    assert_names(app, f"case {office.number}: the seal of {made} (seal 1) holds another event as the {len(log)}th "
                      f"of the case: events up to event {viewed.id} (case.view) were replaced")


def test_a_changed_or_removed_seal_is_named(app, client, office):  # noqa: F811
    for _ in range(3):
        assert cli(app, "cases", "seal").exit_code == 0
        client.get(f"/clerk/cases/{office.other}")  # a change for the next seal to hold
    made = utcnow().strftime("%Y-%m-%d")
    assert verify(app).stdout == "2 cases verified, all chains intact, 3 seals hold\n"
    sql(app, "UPDATE chain_seal_heads SET count = count + 1 WHERE seal_id = 2")
    assert_names(app, f"the seal of {made} (seal 2) was changed: its content does not match its digest")
    sql(app, "UPDATE chain_seal_heads SET count = count - 1 WHERE seal_id = 2")
    sql(app, "DELETE FROM chain_seal_heads WHERE seal_id = 2")
    sql(app, "DELETE FROM chain_seals WHERE id = 2")
    assert_names(app, f"the seal of {made} (seal 3): the seal before it is missing or was changed (its previous "
                      "digest does not match seal 1)")
    sql(app, "UPDATE chain_seals SET signature = 'AAAA' WHERE id = 1")  # not the office's signature of it
    result = app.test_cli_runner().invoke(main, ["cases", "verify"])
    assert result.exit_code == 1 and re.search(r"\(seal 1\): its signature does not verify \(key [\w-]+\)",
                                               result.stdout)


def test_the_seals_are_published_and_anyone_checks_them_with_the_published_certificate(app, client, office):  # noqa: F811
    from cryptography import x509

    from eurzad.signatures.keys import verify_signature
    assert cli(app, "cases", "seal").exit_code == 0
    [seal] = client.get("/receipts/seals.json").get_json()
    published = x509.load_pem_x509_certificates(client.get("/receipts/certificates.pem").data)
    digest = bytes.fromhex(seal["digest"])
    assert any(verify_signature(cert, digest, seal["signature"]) for cert in published)
    assert not any(verify_signature(cert, digest[::-1], seal["signature"]) for cert in published)
