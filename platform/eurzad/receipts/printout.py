"""The receipt for people: an A4 PDF in the citizen's language, signed as PAdES (decision 0035).

It prints what the receipt's signed content holds — every field, labelled in the receipt's language — under the
office's letterhead, with a QR code of the verification page. The signed XML rides inside as `upo.xml`, and the
office's PAdES signature covers the whole file, so that `pdfsig` and the verification page can check both.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.numbers import format_decimal
from cryptography import x509
from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, HRFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..engine.texts import DATE_PATTERN
from ..engine.workflows import Office
from ..pages import site_url
from ..signatures import pades
from ..signatures.keys import SigningKey, fingerprint
from ..signatures.xmldsig import SignatureError
from .models import Receipt

FONTS = Path(__file__).resolve().parents[1] / "static" / "fonts"  # DejaVu Sans: every Polish letter
XML_NAME = "upo.xml"
WIDTH = A4[0] - 40 * mm  # the text's width between 20 mm margins
GREY = colors.HexColor("#505a5f")


@cache
def _styles() -> dict[str, ParagraphStyle]:
    """The fonts, registered once per process, and the paragraph styles made of them."""
    pdfmetrics.registerFont(TTFont("DejaVuSans", FONTS / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", FONTS / "DejaVuSans-Bold.ttf"))
    pdfmetrics.registerFontFamily("DejaVuSans", normal="DejaVuSans", bold="DejaVuSans-Bold",
                                  italic="DejaVuSans", boldItalic="DejaVuSans-Bold")
    body = ParagraphStyle("body", fontName="DejaVuSans", fontSize=9, leading=12, splitLongWords=True)
    return {
        "body": body,
        "office": ParagraphStyle("office", body, fontName="DejaVuSans-Bold", fontSize=13, leading=16),
        "title": ParagraphStyle("title", body, fontName="DejaVuSans-Bold", fontSize=15, leading=19, spaceBefore=14,
                                spaceAfter=10),
        "heading": ParagraphStyle("heading", body, fontName="DejaVuSans-Bold", fontSize=11, leading=14,
                                  spaceBefore=12, spaceAfter=6),
        "label": ParagraphStyle("label", body, fontName="DejaVuSans-Bold", textColor=GREY),
        "small": ParagraphStyle("small", body, fontSize=7.5, leading=10),
    }


def render(receipt: Receipt, office: Office, verify_url: str, key: SigningKey) -> bytes:
    """The receipt as a signed PDF: the letterhead, what the receipt attests in the receipt's language, a QR code
    of `verify_url`, the signed XML inside (upo.xml), the office's PAdES signature over all of it."""
    content = json.loads(receipt.content_json)
    styles = _styles()
    output = BytesIO()
    with force_locale(receipt.locale):
        title = _("Official receipt of submission (UPP)") if content["kind"] == "UPP" else \
            _("Official receipt of delivery (UPD)")
        document = SimpleDocTemplate(
            output, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=20 * mm,
            title=f"{title} {content['receipt_id']}", author=office.name.get(receipt.locale), subject=title,
            creator="eurzad", lang=receipt.locale, initialFontName="DejaVuSans")
        story: list[Flowable] = [
            Paragraph(escape(office.name.get(receipt.locale)), styles["office"]),
            Paragraph(escape(office.address.get(receipt.locale)), styles["body"]),
            Paragraph(escape(office.identifier), styles["body"]),
            HRFlowable(width="100%", thickness=0.8, color=GREY, spaceBefore=6),
            Paragraph(escape(title), styles["title"]),
            _table([(_label(label), value) for label, value in _fields(content, receipt)], [45 * mm, WIDTH - 45 * mm]),
            *_attachments(content),
            *_verification(verify_url, key),
        ]
        footer = _footer(f"{content['kind']} {content['receipt_id']}")
        document.build(story, canvasmaker=_numbered_canvas(footer))
    return pades.sign_pdf(output.getvalue(), key, {XML_NAME: (receipt.xml, "application/xml")})


def signed_xml_of(data: bytes, certificates: Mapping[str, x509.Certificate]) -> bytes:
    """The signed receipt XML a PDF receipt carries, once the PDF's own signature holds."""
    _key_id, files = pades.verify_pdf(data, certificates)
    if XML_NAME not in files:
        raise SignatureError("the PDF carries no receipt")
    return files[XML_NAME]


def _fields(content: dict[str, Any], receipt: Receipt) -> list[tuple[str, str]]:
    """Each field of the receipt's content as (label, value markup), in the order the receipt's XML has them."""
    upp = content["kind"] == "UPP"
    office, sender, addressee = content["office"], content["sender"], content["addressee"]
    rows = [
        (_("Receipt identifier"), _text(content["receipt_id"])),
        (_("Office"), _text(f"{office['name']} ({office['identifier']})")),
        (_("Sender"), _text(sender["name"] or _("not given"))),
    ]
    if sender.get("account") is not None:
        rows.append((_("Sender's account number"), _text(sender["account"])))
    rows += [
        (_("How the sender was identified"), _text(_identified_by(sender["identified_by"]))),
        (_("Addressee"), _text(addressee["name"] or _("not given"))
         + (f" ({_text(addressee['identifier'])})" if addressee.get("identifier") else "")),
    ]
    if "form" in content:
        form = content["form"]
        rows += [(_("Form"), _text(f"{form['identifier']}, " + _("version %(version)d", version=form["version"]))),
                 (_("SHA-256 of the form's definition"), _digest(form["definition_sha256"]))]
    if "step" in content:
        rows.append((_("Step of the case delivered"), _text(content["step"])))
    rows += [
        (_("Document identifier"), _text(content["document_id"])),
        (_("Case number"), _text(content["case_number"])),
        (_("Received by the office") if upp else _("Delivered: opened by the addressee"), _moment(content["at"])),
        (_("Receipt made"), _moment(content["made_at"])),
        (_("SHA-256 of the data sent") if upp else _("SHA-256 of the step delivered"), _digest(content["data_sha256"])),
        (_("SHA-256 of this receipt"), _digest(receipt.content_sha256)),
    ]
    return rows


def _identified_by(how: str) -> str:
    """How the sender was identified, in the words of the receipt page."""
    return {
        "account": _("Account in the e-office, identity confirmed at the office with an ID document"),
        "account_unverified": _("Account in the e-office; the identity has not been confirmed at the office"),
        "anonymous": _("Not identified: sent without logging in"),
        "office": _("The office itself (its department sent it)"),
    }.get(how, how)


def _moment(stored: str) -> str:
    """A stored UTC moment in words, in the office's time as the site writes it, and exactly as stored (UTC)."""
    value = datetime.strptime(stored, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    zone = ZoneInfo(current_app.config["OFFICE_TIMEZONE"])
    locale = str(get_locale())
    words = format_datetime(value, f"{DATE_PATTERN}, HH:mm:ss", tzinfo=zone, locale=locale)
    in_words = _("%(moment)s (Polish time)", moment=words)
    return f"{_text(in_words)}<br/>{_text(stored)} (UTC)"


def _attachments(content: dict[str, Any]) -> list[Flowable]:
    """The attached (or delivered) files: name, size, type and SHA-256 of each, as a table that may span pages."""
    heading = _("Attached files") if content["kind"] == "UPP" else _("Documents delivered")
    files = content["attachments"]
    if not files:
        return [Paragraph(escape(heading), _styles()["heading"]), Paragraph(escape(_("No files.")), _styles()["body"])]
    locale = str(get_locale())
    rows = [[_label("#"), _label(_("File and its SHA-256")), _label(_("Size")), _label(_("Type"))]]
    for number, item in enumerate(files, 1):
        rows.append([_text(str(number)),
                     f"{_text(item['name'])}<br/>{_digest(item['sha256'], 7)}",
                     f"{format_decimal(item['size'], locale=locale)} B", _text(item["type"])])
    table = _table(rows, [8 * mm, WIDTH - 58 * mm, 20 * mm, 30 * mm], header=True)
    return [Paragraph(escape(heading), _styles()["heading"]), table]


def _verification(verify_url: str, key: SigningKey) -> list[Flowable]:
    """The QR code of the verification page beside its address, and how to check the receipt without it."""
    styles = _styles()
    certificates = site_url("receipts.list_certificates")
    words = [
        "<b>" + _text(_("Check this receipt")) + "</b>",
        f"<link href={quoteattr(verify_url)}>{_text(verify_url)}</link>",
        _text(_("Scan the code or open the address: the office's page says whether the receipt is valid and what it "
                "attests.")),
        _text(_("Without the page: this PDF carries the office's electronic signature (PAdES), which pdfsig or a PDF "
                "reader shows, and the signed receipt %(file)s inside it, which xmlsec1 --verify checks. Check both "
                "against the office's certificates published at %(url)s.", file=XML_NAME, url=certificates)),
        _text(_("Signed with the office's key %(key)s, whose certificate has the SHA-256 fingerprint %(fingerprint)s.",
                key=key.key_id, fingerprint=fingerprint(key.certificate))),
    ]
    text = [Paragraph(line, styles["small"] if index > 1 else styles["body"]) for index, line in enumerate(words)]
    side = Table([[_qr(verify_url, 38 * mm), text]], colWidths=[42 * mm, WIDTH - 42 * mm])
    side.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "DejaVuSans"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (0, 0), 0)]))
    return [Spacer(1, 8 * mm), side]


def _qr(value: str, size: float) -> Drawing:
    widget = QrCodeWidget(value, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    drawing.initialFontName = "DejaVuSans"  # else the drawing names Helvetica, which the PDF does not embed
    return drawing


def _table(rows: list[list[Any]] | list[tuple[str, str]], widths: list[float], header: bool = False) -> Table:
    """A table of paragraphs that wrap in their columns (long names and digests never run off the page)."""
    body = _styles()["body"]
    cells = [[cell if isinstance(cell, Paragraph) else Paragraph(cell, body) for cell in row] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1 if header else 0)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), "DejaVuSans"),  # else a table names Helvetica, which the PDF does not embed
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#b1b4b6")),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def _label(text: str) -> Paragraph:
    return Paragraph(_text(text), _styles()["label"])


def _digest(value: str, size: float = 8) -> str:
    """A SHA-256 in hex, small enough to stay on one line in its column (pdftotext reads it whole)."""
    return f'<font size="{size}">{_text(value)}</font>'


def _text(value: object) -> str:
    """Any value as paragraph markup that reads as itself (a name with < or & is text, never markup)."""
    return escape(str(value))


def _footer(text: str) -> Callable[[int, int], str]:
    return lambda page, pages: text if pages == 1 else \
        f"{text} · " + _("Page %(page)d of %(pages)d", page=page, pages=pages)


def _numbered_canvas(footer: Callable[[int, int], str]) -> type[Canvas]:
    """A canvas that writes each page's footer once it knows how many pages there are ("page 2 of 3")."""
    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                self.setFont("DejaVuSans", 7.5)
                self.setFillColor(GREY)
                self.drawCentredString(A4[0] / 2, 10 * mm, footer(number, len(self._pages)))
                super().showPage()
            super().save()
    return NumberedCanvas
