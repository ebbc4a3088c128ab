"""Who is who: registering, logging in and out, activation, passwords. (Access rules: eurzad/access.py.)"""
from flask import Blueprint

bp = Blueprint("auth", __name__)
