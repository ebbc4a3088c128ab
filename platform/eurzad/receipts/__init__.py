"""The official receipt (UPO) of a submission."""
from flask import Blueprint

bp = Blueprint("receipts", __name__)
