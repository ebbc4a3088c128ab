"""The official receipt (UPO) of a submission."""
from flask import Blueprint

bp = Blueprint("receipts", __name__)

from . import views  # noqa: E402,F401  (registers the routes)
