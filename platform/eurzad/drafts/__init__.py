"""Filling a form in: a draft kept server-side page by page, check your answers, sending; "my drafts"."""
from flask import Blueprint

bp = Blueprint("drafts", __name__)
