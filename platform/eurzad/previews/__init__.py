"""Preview: an administrator walks any definition as a citizen would, before it is published; nothing is filed."""
from flask import Blueprint

bp = Blueprint("previews", __name__, url_prefix="/admin/previews")
