"""Who is who: accounts, logging in and out, and every access rule of the app (access.py)."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import views  # noqa: E402,F401  (registers the routes)
