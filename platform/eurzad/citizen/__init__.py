"""The citizen's side: the catalogue of forms, filling and sending one, and "my cases"."""
from flask import Blueprint

bp = Blueprint("citizen", __name__)
