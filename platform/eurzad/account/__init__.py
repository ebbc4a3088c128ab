"""The citizen's own account: the identity as the office confirmed it, contact details, a new e-mail address."""
from flask import Blueprint

bp = Blueprint("account", __name__, url_prefix="/account")
