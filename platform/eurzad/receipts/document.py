"""What a receipt says, as canonical JSON, and as the XML document that carries the office's signature.

The content is a plain dict (decision 0035): the same keys in the stored canonical JSON, in the XML (one
element per key, names after the ePUAP UPO) and on the page and the PDF. `content_of(xml)` reads it back, so
that a verified XML shows exactly what it holds and its digest can be compared with the office's register.
"""
from __future__ import annotations

from typing import Any

from lxml import etree

from ..signatures.xmldsig import DS

NAMESPACE = "urn:eurzad:upo:1"
KINDS = {"UPP": "Urzędowe poświadczenie przedłożenia", "UPD": "Urzędowe poświadczenie doręczenia"}

# Each content key and its element (the UPO's names where it has one); a dict becomes nested elements, a list
# (the attachments) one `Zalacznik` per item. One key, one element: the document reads back to the same dict.
ELEMENTS = {
    "kind": "RodzajPoswiadczenia", "receipt_id": "IdentyfikatorPoswiadczenia", "made_at": "DataWytworzenia",
    "office": "Urzad", "sender": "Nadawca", "addressee": "Adresat", "form": "Formularz",
    "document_id": "IdentyfikatorDokumentu", "case_number": "ZnakSprawy", "at": "DataZlozenia",
    "data_sha256": "SkrotDokumentu", "attachments": "Zalaczniki", "step": "Czynnosc",
    "name": "Nazwa", "identifier": "Identyfikator", "account": "IdentyfikatorKonta",
    "identified_by": "SposobIdentyfikacji", "version": "Wersja", "definition_sha256": "SkrotDefinicji",
    "size": "Rozmiar", "type": "Typ", "sha256": "Skrot",
}
ITEM = "Zalacznik"
ORDER = list(ELEMENTS)  # the document's order of elements
KEYS = {element: key for key, element in ELEMENTS.items()}
INTEGERS = {"account", "version", "size"}
class NotAReceiptError(ValueError):
    """The bytes are not a receipt of this kind: not XML, or not the receipt's structure."""


def to_xml(content: dict[str, Any]) -> etree._Element:
    """The receipt's content as the UPO document (unsigned); the signature goes in as its last child."""
    root = etree.Element(f"{{{NAMESPACE}}}Poswiadczenie", nsmap={"upo": NAMESPACE})
    etree.SubElement(root, f"{{{NAMESPACE}}}NazwaPoswiadczenia").text = KINDS[content["kind"]]
    _add(root, content)
    return root


def _add(parent: etree._Element, value: dict[str, Any]) -> None:
    for key in sorted(value, key=ORDER.index):
        element = etree.SubElement(parent, f"{{{NAMESPACE}}}{ELEMENTS[key]}")
        item = value[key]
        if isinstance(item, dict):
            _add(element, item)
        elif isinstance(item, list):
            for entry in item:
                _add(etree.SubElement(element, f"{{{NAMESPACE}}}{ITEM}"), entry)
        elif item is None:
            element.set("brak", "true")
        else:
            element.text = str(item)


def content_of(root: etree._Element) -> dict[str, Any]:
    """The content a (verified) UPO document holds, as the dict it was made from."""
    if root.tag != f"{{{NAMESPACE}}}Poswiadczenie":
        raise NotAReceiptError("not a receipt of this office's kind")
    try:
        return _read(child for child in root if child.tag != f"{{{NAMESPACE}}}NazwaPoswiadczenia")
    except (KeyError, ValueError) as exc:
        raise NotAReceiptError(f"an element the receipt does not have: {exc}") from None


def _read(elements: Any) -> dict[str, Any]:
    content: dict[str, Any] = {}
    for element in elements:
        if not isinstance(element.tag, str) or element.tag.startswith(f"{{{DS}}}"):
            continue  # the signature (checked apart), comments
        key = KEYS[etree.QName(element).localname]
        if key == "attachments":
            content[key] = [_read(item) for item in element]
        elif len(element):
            content[key] = _read(element)
        elif element.get("brak") == "true":
            content[key] = None
        else:
            text = element.text or ""
            content[key] = int(text) if key in INTEGERS else text
    return content

