"""The front desk (BOI): find a pending registration, check the ID document, activate or reject."""
from flask import Blueprint

bp = Blueprint("frontdesk", __name__, url_prefix="/front-desk")
