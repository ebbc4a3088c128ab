"""E-mail leaves the office through an outbox: a row written in the same transaction as the change
it reports, sent later by `eurzad worker` with retries. A request never waits for SMTP. Administrators
see what waits, what went and what failed."""
from flask import Blueprint

bp = Blueprint("outbox", __name__, url_prefix="/admin/outbox")
