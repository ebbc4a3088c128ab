"""An operation that will not do what was asked says why, in words for the person who asked."""
from __future__ import annotations


class RefusedError(Exception):
    """Raised by an operation when a rule forbids the change (nothing is changed); `message` is a message
    id shown to the user in their language, `status` the HTTP status of the page that says it."""

    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.message, self.status = message, status
