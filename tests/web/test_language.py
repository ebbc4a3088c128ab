"""Polish by default, English by a visible switch: page texts, definition texts and error messages."""
from __future__ import annotations

import re
from pathlib import Path

import yaml
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from .test_citizen_journey import FORM, VALID

ROOT = Path(__file__).resolve().parents[2]


def test_pages_are_polish_by_default_with_a_visible_switch_to_english(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="pl">' in page and "Formularze, które możesz wysłać przez internet" in page
    assert '<a href="/?lang=en" lang="en" hreflang="en">English</a>' in page


def test_the_switch_keeps_english_for_the_following_pages(client):
    response = client.get("/?lang=en")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page and "Forms you can send online" in page
    assert "Request for access to public information" in page
    assert ">Polski</a>" in page


def test_errors_and_definition_texts_come_in_english(citizen_client):
    citizen_client.get("/?lang=en")
    page = citizen_client.answer_pages(citizen_client.start(FORM), {**VALID, "email": "x"}).get_data(as_text=True)
    assert "<title>Error: Your contact details – Request for access to public information" in page
    assert "There is a problem" in page and "Step 5 of up to 5" in page
    assert "Enter an e-mail address in the correct format" in page
    summary = citizen_client.answer_pages(citizen_client.start(FORM), VALID)
    page = citizen_client.get(summary).get_data(as_text=True)
    assert "Check your answers before sending" in page and "By post" in page
    assert "The controller of your personal data is the Mayor of Krosno" in page


def test_an_unknown_language_is_ignored(client):
    client.get("/?lang=xx")
    assert '<html lang="pl">' in client.get("/").get_data(as_text=True)


def test_every_interface_string_has_a_polish_translation():
    with open(ROOT / "platform/eurzad/translations/pl/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f, locale="pl")
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "_l": None, "lazy_gettext": None}
    method_map = [("platform/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
    missing = []
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, keywords=keywords, options_map={"templates/**.html": {}, "templates/**.txt": {}}):
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(msgid)
        translated = entry is not None and entry.string and (
            all(entry.string) if isinstance(entry.string, tuple) else True)
        if not translated:
            missing.append(msgid)
    assert missing == [], "run `make messages` and translate these in messages.po"


MASCULINE_ONLY = re.compile(r"\b\w+(?:łeś|łbyś)\b"
                            r"|\b(?:jesteś|będziesz) (?:świadomy|pewny|zalogowany|zobowiązany)\b"
                            r"|\bjestem (?:jedynym )?(?:właścicielem|współwłaścicielem)\b", re.IGNORECASE)


def _polish_texts(value) -> list[str]:
    """Every Polish text of a definition file: the `pl` of each {pl, en} map, however deep."""
    if isinstance(value, dict):
        own = [value["pl"]] if isinstance(value.get("pl"), str) else []
        return own + [text for item in value.values() for text in _polish_texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in _polish_texts(item)]
    return []


def test_nothing_addressed_to_the_citizen_in_polish_is_masculine_only():
    """"Nie dostałeś", "jesteś świadomy", "jestem właścicielem": a woman reading them is addressed as a man."""
    with open(ROOT / "platform/eurzad/translations/pl/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f, locale="pl")
    texts = [string for message in catalog if message.id
             for string in (message.string if isinstance(message.string, tuple) else (message.string,))]
    for path in [*(ROOT / "form_definitions").glob("*.yaml"), ROOT / "workflows.yaml"]:
        texts += _polish_texts(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert [text for text in texts if MASCULINE_ONLY.search(text)] == []


def test_an_email_in_another_language_than_the_page_is_written_wholly_in_it_and_the_page_stays_in_its_own(app):
    """A clerk's Polish page sends the citizen an English e-mail (force_locale): its interface texts, definition
    texts and sizes come in English even after the page has used its own language, and the page's after it."""
    from flask import render_template_string
    from flask_babel import force_locale
    words = "{{ _('Forms') }} | {{ {'pl': 'Tak', 'en': 'Yes'} | t }} | {{ file_size(1536 * 1024) }}"
    with app.test_request_context("/"):
        assert render_template_string(words) == "Formularze | Tak | 1,5 MB"
        with force_locale("en"):
            assert render_template_string(words) == "Forms | Yes | 1.5 MB"
        assert render_template_string(words) == "Formularze | Tak | 1,5 MB"
