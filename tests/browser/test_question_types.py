"""The kinds of question of issue 9 in Chromium, JavaScript on and off, axe on every page: a date in day, month
and year boxes (also on a 390 px phone screen), its rules, a list of dates added and removed, a yes/no question,
a consent, and an amount shown in złoty. The test form is tests/definitions/event.yaml."""
from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import select
from werkzeug.serving import make_server

from eurzad.cases.models import Submission
from eurzad.extensions import db

from ..conftest import make_app
from ..web.test_dates import START, office_today
from .test_golden_journeys import ROOT, assert_accessible, log_in
from .test_seed_path import press

END = START + timedelta(days=2)


@pytest.fixture(scope="module")
def event_server(app, tmp_path_factory) -> Iterator[str]:
    """An app that also publishes the test forms of tests/definitions, on a local port (same database)."""
    defs = tmp_path_factory.mktemp("defs")
    for path in [*(ROOT / "form_definitions").glob("*.yaml"), *(ROOT / "tests/definitions").glob("*.yaml")]:
        shutil.copy(path, defs)
    served = make_app(app.config["SQLALCHEMY_DATABASE_URI"], DEFINITIONS_DIR=str(defs),
                      ATTACHMENTS_DIR=str(tmp_path_factory.mktemp("files")))
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    with served.app_context():
        db.engine.dispose()


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def tab(request, chromium, event_server):
    context = chromium.new_context(java_script_enabled=request.param, locale="pl-PL", base_url=event_server)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.javascript = request.param
    yield page
    context.close()


def type_date(page, name: str, day, month=None, year=None) -> None:
    """Type a date into its three boxes as a person would: `day` a date, or the parts as typed."""
    parts = (str(day.day), str(day.month), str(day.year)) if month is None else (day, month, year)
    for part, value in zip(("day", "month", "year"), parts, strict=True):
        page.fill(f'[name="{name}-{part}"]', value)


def continue_(page) -> None:
    press(page, "Dalej")


def start_event(page, make_user) -> None:
    log_in(page, make_user().email)
    page.goto("/forms/event")
    page.click("button.button--start")


def test_an_event_notice_with_dates_a_list_of_dates_yes_no_a_consent_and_an_amount(app, tab, make_user):
    start_event(tab, make_user)
    assert [tab.locator(f'label[for="start_date-{part}"]').inner_text() for part in ("day", "month", "year")] == \
        ["Dzień", "Miesiąc", "Rok"]
    assert tab.locator('input[type="date"]').count() == 0
    assert_accessible(tab)

    type_date(tab, "start_date", str(START.day), "", str(START.year))  # the month forgotten
    type_date(tab, "end_date", START - timedelta(days=1))
    continue_(tab)
    assert tab.title().startswith("Błąd: ")
    assert tab.locator("#start_date-error").inner_text().endswith("Data musi zawierać miesiąc")
    assert tab.locator('[name="start_date-month"]').get_attribute("class").endswith("input--error")
    assert "input--error" not in tab.locator('[name="start_date-day"]').get_attribute("class")
    assert tab.locator('[name="start_date-day"]').input_value() == str(START.day)  # what was typed is kept
    assert_accessible(tab)
    tab.locator(".error-summary a").first.click()
    assert tab.url.endswith("#start_date-day")

    type_date(tab, "start_date", START)
    continue_(tab)  # the end is still before the start
    assert tab.locator("#end_date-error").inner_text().endswith("Ostatni dzień nie może być przed pierwszym")
    type_date(tab, "end_date", END)
    continue_(tab)

    assert tab.url.endswith("/rehearsals")
    type_date(tab, "rehearsals-0", START - timedelta(days=1))
    press(tab, "Dodaj kolejną próbę")
    assert tab.locator('[name="rehearsals-0-day"]').input_value() == str((START - timedelta(days=1)).day)
    type_date(tab, "rehearsals-1", START + timedelta(days=1))  # after the first day: refused
    press(tab, "Dodaj kolejną próbę")
    type_date(tab, "rehearsals-2", START - timedelta(days=3))
    assert_accessible(tab)
    continue_(tab)
    assert tab.locator("#rehearsals-1-error").inner_text().endswith(
        "Próba musi się odbyć przed pierwszym dniem imprezy")
    tab.get_by_role("button", name="Usuń Próba 2").click()
    assert tab.locator('[name="rehearsals-2-day"]').count() == 0
    continue_(tab)

    assert tab.url.endswith("/safety")
    continue_(tab)  # a required yes/no question left unanswered
    assert tab.locator("#first_aid-error").inner_text().endswith("Wybierz, czy będzie punkt pierwszej pomocy")
    assert_accessible(tab)
    tab.get_by_label("Nie").check()
    continue_(tab)

    tab.get_by_label("Kaucja za teren").fill("980,505")
    continue_(tab)
    assert tab.locator("#deposit-error").inner_text().endswith(
        "Wpisz kwotę z najwyżej 2 miejscami po przecinku, na przykład 980,50")
    assert_accessible(tab)
    tab.get_by_label("Kaucja za teren").fill("980,50")
    continue_(tab)

    continue_(tab)  # the consent not ticked
    assert tab.locator("#consent-error").inner_text().endswith("Zaznacz, że posprzątasz teren po imprezie")
    tab.get_by_label("Zobowiązuję się posprzątać teren po imprezie").check()
    continue_(tab)

    assert tab.url.endswith("/check")
    summary = tab.locator("main").inner_text().replace("\u00a0", " ")
    for day in (START, END, START - timedelta(days=1), START - timedelta(days=3)):
        assert format_date(day, "long", locale="pl") in summary
    assert "980,50 zł" in summary and "Nie" in summary
    assert_accessible(tab)
    press(tab, "Zatwierdź i wyślij")
    assert tab.url.endswith("/sent")
    with app.app_context():
        stored = json.loads(db.session.scalars(select(Submission).order_by(Submission.id.desc())).first().data_json)
    assert stored == {"start_date": START.isoformat(), "end_date": END.isoformat(),
                      "rehearsals": [(START - timedelta(days=1)).isoformat(), (START - timedelta(days=3)).isoformat()],
                      "first_aid": False, "deposit": 980.5, "consent": True}


def test_the_date_boxes_fit_a_390_px_phone_screen(tab, make_user):
    tab.set_viewport_size({"width": 390, "height": 844})
    start_event(tab, make_user)
    boxes = [tab.locator(f'[name="start_date-{part}"]').bounding_box() for part in ("day", "month", "year")]
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= 390 for box in boxes)
    assert boxes[0]["y"] == boxes[1]["y"] == boxes[2]["y"]  # side by side, in the order day, month, year
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390  # nothing to scroll sideways
    type_date(tab, "start_date", "31", "2", str(office_today().year + 1))
    type_date(tab, "end_date", END)
    continue_(tab)
    assert tab.locator("#start_date-error").inner_text().endswith("Data musi istnieć w kalendarzu")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(tab)
