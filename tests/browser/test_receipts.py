"""The signed receipt in a real browser: send a form, download the receipt as XML and PDF, check both with
Debian's xmlsec1 and pdfsig against the published certificate and on the office's page; a changed byte makes
all four say not valid."""
from __future__ import annotations

import subprocess
from pathlib import Path

from ..conftest import debian_tool
from .test_golden_journeys import assert_accessible, log_in
from .test_seed_path import press, send_public_information


def download(page, name: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.get_by_role("link", name=name).click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def flipped(path: Path, marker: bytes) -> Path:
    data = bytearray(path.read_bytes())
    data[data.index(marker) + len(marker) + 2] ^= 0x01
    changed = path.with_name("changed-" + path.name)
    changed.write_bytes(bytes(data))
    return changed


def check_on_the_page(page, path: Path) -> str:
    page.goto("/receipts/verify")
    page.set_input_files("#receipt", str(path))
    press(page, "Sprawdź")
    return page.locator("#outcome h2").inner_text()


def verified_by(tool: str, path: Path, certificate: Path) -> bool:
    if tool == "xmlsec1":
        command = [debian_tool("xmlsec1"), "--verify", "--trusted-pem", str(certificate), str(path)]
        return subprocess.run(command, capture_output=True, timeout=60).returncode == 0
    output = subprocess.run([debian_tool("pdfsig"), str(path)], capture_output=True, text=True, timeout=60).stdout
    return "Signature is Valid" in output and "Total document signed" in output


def test_a_citizen_downloads_both_receipts_and_everyone_can_tell_a_changed_one(page, make_user, tmp_path):
    log_in(page, make_user(email="receipts@example.pl").email)
    number = send_public_information(page)
    with page.expect_navigation():  # a loaded machine may otherwise read the page before the receipt arrives
        page.get_by_role("link", name="Zobacz potwierdzenie").first.click()
    assert number in page.content()
    assert_accessible(page)
    xml = download(page, "Pobierz podpisane poświadczenie (XML)", tmp_path)
    pdf = download(page, "Pobierz podpisane poświadczenie (PDF)", tmp_path)
    page.goto("/receipts/certificates")
    assert_accessible(page)
    certificate = download(page, "Pobierz wszystkie certyfikaty (PEM)", tmp_path)

    for path, tool in ((xml, "xmlsec1"), (pdf, "pdfsig")):
        assert verified_by(tool, path, certificate), f"{tool} refused the office's own {path.name}"
        assert check_on_the_page(page, path) == "Ważne"
        assert number in page.content()
    assert_accessible(page)

    changed_xml, changed_pdf = flipped(xml, b"<upo:ZnakSprawy>"), flipped(pdf, b"/Type")
    for path, tool in ((changed_xml, "xmlsec1"), (changed_pdf, "pdfsig")):
        assert not verified_by(tool, path, certificate), f"{tool} took a changed {path.name}"
        assert check_on_the_page(page, path) == "Nieważne"
    assert_accessible(page)
