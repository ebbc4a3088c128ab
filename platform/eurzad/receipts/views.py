"""The receipt pages, the signed receipts (XML, PDF) and the filed data, the public check and the certificates."""
from __future__ import annotations

from flask import Response, abort, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import case_or_404, public, receipt_or_404, role_required, supplement_or_404, tracked_case_or_404
from ..auth.models import Role
from ..canonical import moment
from ..cases.models import Case, ChainSeal, Submission
from ..cases.operations import definition_of
from ..extensions import db, limiter, registry
from ..signatures.keys import pem
from ..widgets import form_problems
from . import bp
from .forms import MAX_RECEIPT_BYTES, VerifyReceiptForm
from .models import OfficeCertificate, Receipt
from .operations import check_typed, office_certificates, pdf_of, receipt_of, verify_file, verify_in_register


@bp.get("/cases/<int:case_id>/receipt")
@role_required(Role.CITIZEN, Role.CLERK, Role.HEAD)
def show_receipt(case_id: int):
    case = case_or_404(case_id)
    return render_template("receipts/receipt.html", case=case, receipt=receipt_of(case.submission),
                           definition=definition_of(case.submission, registry()))


@bp.get("/cases/<int:case_id>/supplements/<int:supplement_id>/receipt")
@role_required(Role.CITIZEN, Role.CLERK, Role.HEAD)
def show_supplement_receipt(case_id: int, supplement_id: int):
    """The receipt of an answer to the office's request: its own filing time and digest."""
    case = case_or_404(case_id)
    back = url_for("citizen.show_case", case_id=case.id) if current_user.has_role(Role.CITIZEN) else \
        url_for("clerk.show_case", case_id=case.id)
    return _supplement_receipt(case, supplement_or_404(case, supplement_id), back)


@bp.get("/track/<token>/supplements/<int:supplement_id>")
@public
def show_tracked_supplement_receipt(token: str, supplement_id: int):
    """The receipt of an anonymous sender's answer, for whoever holds the case's tracking link."""
    case = tracked_case_or_404(token)
    return _supplement_receipt(case, supplement_or_404(case, supplement_id), url_for("citizen.track_case", token=token),
                               token)


def _supplement_receipt(case: Case, supplement: Submission, back: str, token: str | None = None):
    return render_template("receipts/supplement.html", case=case, supplement=supplement, back=back, token=token,
                           receipt=receipt_of(supplement), definition=definition_of(case.submission, registry()))


@bp.get("/cases/<int:case_id>/receipts/<receipt_id>.<any(xml, pdf):form>")
@role_required(Role.CITIZEN, Role.CLERK, Role.HEAD)
def download_receipt(case_id: int, receipt_id: str, form: str):
    """A signed receipt of the case, as XML (for machines and xmlsec1) or PDF (for people and pdfsig)."""
    return _signed(receipt_or_404(case_or_404(case_id), receipt_id), form)


@bp.get("/track/<token>/receipts/<receipt_id>.<any(xml, pdf):form>")
@public
def download_tracked_receipt(token: str, receipt_id: str, form: str):
    """A signed receipt of an anonymous sender's case, for whoever holds its tracking link."""
    return _signed(receipt_or_404(tracked_case_or_404(token), receipt_id), form)


def _signed(receipt: Receipt, form: str) -> Response:
    name = f"{receipt.kind.lower()}-{receipt.id}.{form}"
    if form == "xml":
        return _download(receipt.xml, "application/xml", name)
    return _download(pdf_of(receipt), "application/pdf", name)


@bp.get("/cases/<int:case_id>/filed/<int:submission_id>.json")
@role_required(Role.CITIZEN, Role.CLERK, Role.HEAD)
def download_filed_data(case_id: int, submission_id: int):
    """What was filed (the application or a supplement) exactly as its digest was computed: canonical JSON."""
    case = case_or_404(case_id)
    submission = case.submission if submission_id == case.submission_id else supplement_or_404(case, submission_id)
    return _download(submission.data_json.encode(), "application/json", f"filed-{case.number}-{submission.id}.json")


def _download(content: bytes, mimetype: str, name: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/receipts/verify", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
@public
def verify_receipt():
    """Anyone checks a receipt: a file (XML or PDF), or its number and digest; valid, not valid, or unknown."""
    form = VerifyReceiptForm(data={"receipt_id": request.args.get("id", "")[:36]})
    outcome, status = None, 200
    if form.validate_on_submit():
        if form.receipt.data:
            upload = request.files["receipt"]
            data = upload.stream.read(MAX_RECEIPT_BYTES + 1)  # never more than that is read
            upload.close()  # a big upload is spooled to a temporary file
            if len(data) > MAX_RECEIPT_BYTES:
                form.receipt.errors = [_("This file is larger than any receipt (1 MB): choose the receipt file")]
                status = 413
            else:
                outcome = verify_in_register(verify_file(data, office_certificates()))
        else:
            outcome = check_typed(form.receipt_id.data.strip().lower(), form.digest.data.strip().lower())
    problems = form_problems(form)
    if problems and status == 200:
        status = 400
    return render_template("receipts/verify.html", form=form, problems=problems, outcome=outcome), status


@bp.get("/receipts/certificates")
@public
def list_certificates():
    """The office's certificates, current and past: what anyone verifies its receipts and seals with."""
    rows = db.session.scalars(db.select(OfficeCertificate).order_by(OfficeCertificate.added_at)).all()
    return render_template("receipts/certificates.html", certificates=rows)


@bp.get("/receipts/certificates/<key_id>.pem")
@public
def download_certificate(key_id: str):
    row = db.session.get(OfficeCertificate, key_id) if len(key_id) <= 40 else None
    if row is None:
        abort(404)
    return _download(row.pem.encode(), "application/x-pem-file", f"eurzad-{row.key_id}.pem")


@bp.get("/receipts/certificates.pem")
@public
def download_certificates():
    """Every certificate in one PEM file: `eurzad receipts verify --certificates` and xmlsec1 take it."""
    bundle = "".join(pem(certificate) for certificate in office_certificates().values())
    return _download(bundle.encode(), "application/x-pem-file", "eurzad-certificates.pem")



@bp.get("/receipts/seals.json")
@public
def list_seals():
    """The case log's daily seals, published so that anyone can keep a copy: a rewritten seal then shows."""
    seals = db.session.scalars(db.select(ChainSeal).order_by(ChainSeal.id)).all()
    return jsonify([{"seal": seal.id, "made_at": moment(seal.made_at), "last_event_id": seal.last_event_id,
                     "previous": seal.previous, "heads_sha256": seal.heads_sha256, "heads": seal.heads,
                     "digest": seal.digest, "signature": seal.signature, "key_id": seal.key_id} for seal in seals])
