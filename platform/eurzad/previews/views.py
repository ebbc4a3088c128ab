"""Previews, for administrators: open a definition (published, a file of the definitions folder, pasted, or a
stored version), walk its start page and pages as a citizen would, check the answers, "send" it (nothing is
filed), and see what would have happened and the receipt the citizen would get.

Each view loads the preview (404 for anyone but the administrator who opened it), calls one operation, and
redirects or renders. The pages are the citizen's own: filling.py and the drafts' templates draw them."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms import SelectChoice

from ..access import preview_or_404, role_required
from ..auth.models import Role
from ..cases.models import DefinitionSnapshot
from ..drafts.forms import ContactForm, contact_form
from ..engine.definitions import check, check_text
from ..engine.forms import read_answers
from ..engine.journey import Page
from ..engine.messages import N_
from ..engine.routing import explain_form, question_labels, said_rows
from ..extensions import db, registry
from ..filling import Filling, changed_items, posted_page, render_page, render_summary, stored_page
from ..i18n import localize, translator
from ..refusals import RefusedError
from ..timeutil import local, utcnow
from ..widgets import error_summary, form_problems
from . import bp
from .forms import MAX_PASTE_BYTES, FileForm, PastedForm, PublishedForm
from .models import Preview
from .operations import (
    answer_page,
    definition_file,
    definition_of,
    journey_of,
    outcome,
    remove_file,
    sample_case,
    send_preview,
    start_again,
    start_preview,
)


@bp.get("/")
@role_required(Role.ADMIN)
def new_preview():
    """The three ways to open a preview."""
    return _new_page({})


@bp.post("/published")
@role_required(Role.ADMIN)
def start_published():
    form = _published_form()
    if not form.validate():
        return _new_page(form_problems(form), published=form)
    definition = registry().forms[form.form_id.data]
    return _started(definition.text, f"form:{definition.id}")


@bp.post("/file")
@role_required(Role.ADMIN)
def start_file():
    """A file of the definitions folder, published or not (a new form not loaded yet); no path leads out of it."""
    form = FileForm()
    if not form.validate():
        return _new_page(form_problems(form), file=form)
    path = definition_file(Path(current_app.config["DEFINITIONS_DIR"]), form.path.data)
    if path is None:
        problem = _("No definition file of this name in the definitions folder")
        return _new_page({"path": problem}, file=form)
    problems, forms, _workflows = check([path], Path(current_app.config["WORKFLOWS_FILE"]))
    if problems:
        return _new_page({}, [str(problem) for problem in problems], "path", file=form)
    return _started(forms[0].text, f"file:{form.path.data.strip()}")


@bp.post("/pasted")
@role_required(Role.ADMIN)
def start_pasted():
    """Pasted text: over 1 MB a 413 page; with problems, the page again with each line the check names."""
    if len(request.form.get("text", "").encode("utf-8")) > MAX_PASTE_BYTES:
        abort(413)
    form = PastedForm()
    if not form.validate():
        return _new_page(form_problems(form), pasted=form)
    text = form.text.data.replace("\r\n", "\n")  # a browser sends a text box's lines with CRLF
    return _checked(text, "pasted", form)


@bp.post("/stored/<sha256>")
@role_required(Role.ADMIN)
def start_stored(sha256: str):
    """A version cases were filed under, from its stored text; with problems (rules added since), the text in
    the paste box with each line the check names, to correct and preview."""
    snapshot = db.session.get(DefinitionSnapshot, sha256[:64]) or abort(404)
    return _checked(snapshot.text, f"version:{snapshot.form_id}:{snapshot.version}",
                    PastedForm(formdata=None, data={"text": snapshot.text}))


@bp.get("/<preview_id>")
@role_required(Role.ADMIN)
def show_start(preview_id: str):
    """The start page with the service card, as the catalogue shows it."""
    preview, definition = _open(preview_id)
    return render_template("previews/start.html", definition=definition, preview=preview,
                           first=url_for("previews.show_page", preview_id=preview.id, page_id=definition.pages[0].id))


@bp.get("/<preview_id>/pages/<page_id>")
@role_required(Role.ADMIN)
def show_page(preview_id: str, page_id: str):
    filling, page = _open_page(preview_id, page_id)
    return _page(filling, page, stored_page(filling, page), {})


@bp.post("/<preview_id>/pages/<page_id>")
@role_required(Role.ADMIN)
def answer(preview_id: str, page_id: str):
    """Continue: the page's answers kept and on, or the page again with its errors, as for a citizen."""
    filling, page = _open_page(preview_id, page_id)
    form, refused, chosen = posted_page(filling, page)
    if refused:
        return _page(filling, page, form, {"": refused})
    now = utcnow()
    journey, errors = answer_page(filling.holder, filling.definition, page, read_answers(page.fields, form), chosen,
                                  translator(), now, _today(now))
    filling = replace(filling, journey=journey)
    if errors:
        return _page(filling, page, form, errors)
    return redirect(filling.after(page), code=303)


@bp.post("/<preview_id>/pages/<page_id>/add/<name>")
@role_required(Role.ADMIN)
def add_item(preview_id: str, page_id: str, name: str):
    filling, page = _open_page(preview_id, page_id)
    return _page(filling, page, changed_items(filling, page, "add", name, None), {})


@bp.post("/<preview_id>/pages/<page_id>/remove/<name>/<int:index>")
@role_required(Role.ADMIN)
def remove_item(preview_id: str, page_id: str, name: str, index: int):
    filling, page = _open_page(preview_id, page_id)
    return _page(filling, page, changed_items(filling, page, "remove", name, index), {})


@bp.post("/<preview_id>/pages/<page_id>/remove-file/<name>")
@role_required(Role.ADMIN)
def remove_attached_file(preview_id: str, page_id: str, name: str):
    filling, page = _open_page(preview_id, page_id)
    field = next((f for f in page.fields if f.name == name and f.type.uploads), None) or abort(404)
    remove_file(filling.holder, field, utcnow())
    return redirect(filling.page_url(page, request.args.get("return")), code=303)


@bp.get("/<preview_id>/check")
@role_required(Role.ADMIN)
def check_answers(preview_id: str):
    filling = _filling(preview_id)
    filling.complete()  # every page on the way answered first
    return _summary(filling, contact_form(filling.definition, filling.definition.assurance == "anonymous"), {})


@bp.post("/<preview_id>/check")
@role_required(Role.ADMIN)
def send(preview_id: str):
    """"Send": the answers checked as sending checks them; then the preview ends with what would have happened."""
    filling = _filling(preview_id)
    filling.complete()  # every page on the way answered first
    contact = contact_form(filling.definition, filling.definition.assurance == "anonymous")
    refused = {"contact_email": contact.email.errors[0]} if contact is not None and not contact.validate() else {}
    address = (contact.email.data or "").strip() or None if contact is not None else None
    now = utcnow()
    errors = send_preview(filling.holder, filling.definition, translator(), now, _today(now), address, refused)
    if errors:
        return _summary(filling, contact, errors)
    return redirect(url_for("previews.show_outcome", preview_id=preview_id), code=303)


@bp.get("/<preview_id>/sent")
@role_required(Role.ADMIN)
def show_outcome(preview_id: str):
    """What sending would have done: nothing of it was done."""
    preview, definition = _open_sent(preview_id)
    workflows = registry().workflows
    result = outcome(preview, definition, workflows, _today(utcnow()))
    routing = explain_form(workflows, definition, result.data)  # the same explanation as the clerk's page
    said = said_rows(routing, translator(), question_labels(definition, translator())) if routing else ()
    return render_template("previews/outcome.html", preview=preview, definition=definition, outcome=result,
                           routing=routing, routing_rows_said=said,
                           filed=json.dumps(result.data, ensure_ascii=False, indent=2, sort_keys=True))


@bp.get("/<preview_id>/receipt")
@role_required(Role.ADMIN)
def show_receipt(preview_id: str):
    """The receipt page the citizen would get, from the preview's answers: marked as a sample, not signed, not
    stored."""
    preview, definition = _open_sent(preview_id)
    result = outcome(preview, definition, registry().workflows, _today(utcnow()))
    return render_template("previews/receipt.html", preview=preview, definition=definition, outcome=result,
                           case=sample_case(preview, definition, result, _("(the name from the sender's account)")),
                           receipt=None)


@bp.post("/<preview_id>/again")
@role_required(Role.ADMIN)
def preview_again(preview_id: str):
    again = start_again(preview_or_404(preview_id), utcnow())
    return redirect(url_for("previews.show_start", preview_id=again.id), code=303)


def _new_page(problems: dict[str, str], lines: list[str] | None = None, box: str = "text", **forms: Any):
    """The page of the three ways (`forms`: those posted, the others empty); `lines`: every problem the check
    found in the text of `box`, each in the summary, linked to the box, which says how many there are."""
    forms = {"published": _published_form(), "file": FileForm(formdata=None), "pasted": PastedForm(formdata=None)
             } | forms
    summary = None
    if lines:
        problems = {box: ngettext("The check found %(num)d problem: it is listed at the top of the page",
                                  "The check found %(num)d problems: they are listed at the top of the page",
                                  len(lines))}
        summary = error_summary((line, f"#{box}") for line in lines)
    return render_template("previews/new.html", problems=problems, summary=summary,
                           folder=current_app.config["DEFINITIONS_DIR"], **forms), 400 if problems else 200


def _checked(text: str, origin: str, form: PastedForm):
    """A preview of checked text; or the paste box again, with every `line N: message` the check gives."""
    problems, _definition = check_text(text, origin, registry().workflows)
    if problems:
        lines = [_("line %(number)d: %(message)s", number=p.line, message=p.message) for p in problems]
        return _new_page({}, lines, pasted=form)
    return _started(text, origin)


def _started(text: str, origin: str):
    preview = start_preview(current_user.id, text, origin, utcnow())
    return redirect(url_for("previews.show_start", preview_id=preview.id), code=303)


def _published_form() -> PublishedForm:
    form = PublishedForm()
    form.form_id.choices = [SelectChoice(f.id, f"{localize(f.title)} ({f.id})") for f in registry()]
    return form


def _open(preview_id: str) -> tuple[Preview, Any]:
    """The administrator's preview and its definition, checked against the workflows loaded now."""
    preview = preview_or_404(preview_id)
    _problems, definition = definition_of(preview, registry().workflows)
    if definition is None:  # the workflows changed since it started (another host, a restart)
        raise RefusedError(N_("This definition no longer passes the check with the loaded workflows: open the "
                              "preview again"))
    return preview, definition


def _open_sent(preview_id: str) -> tuple[Preview, Any]:
    preview, definition = _open(preview_id)
    if preview.sent_at is None:
        abort(redirect(url_for("previews.check_answers", preview_id=preview.id), code=303))
    return preview, definition


def _filling(preview_id: str) -> Filling:
    """The preview as its pages need it; once "sent", its pages lead to what would have happened."""
    preview, definition = _open(preview_id)
    if preview.sent_at is not None:
        abort(redirect(url_for("previews.show_outcome", preview_id=preview.id), code=303))
    return Filling(preview, definition, journey_of(preview, definition), "previews", {"preview_id": preview.id},
                   url_for("previews.show_start", preview_id=preview.id))


def _open_page(preview_id: str, page_id: str) -> tuple[Filling, Page]:
    filling = _filling(preview_id)
    return filling, filling.page(page_id)


def _page(filling: Filling, page: Page, form, errors: dict[str, str]):
    preview = filling.holder

    def current_file(field) -> tuple[str, None] | None:
        """The name of the file answered; its content is not kept, so there is nothing to download."""
        kept = preview.files.get(preview.data.get(field.path[0]))
        return (kept[0], None) if kept else None
    return render_page(filling, page, form, errors, "previews/page.html", current_file, preview=preview)


def _summary(filling: Filling, contact: ContactForm | None, errors: dict[str, str]):
    files = {sha: (name, size) for sha, (name, size, _kind) in filling.holder.files.items()}
    return render_summary(filling, "previews/check.html", errors, files, preview=filling.holder, contact=contact)


def _today(now: datetime) -> date:
    return local(now, current_app.config["OFFICE_TIMEZONE"]).date()
