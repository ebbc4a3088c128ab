"""The clerk's side: the department's inbox and the case as filed."""
from flask import Blueprint

bp = Blueprint("clerk", __name__, url_prefix="/clerk")
