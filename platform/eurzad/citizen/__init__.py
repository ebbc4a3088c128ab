"""The citizen's side: the catalogue of forms, starting one, and "my cases"."""
from flask import Blueprint

bp = Blueprint("citizen", __name__)
