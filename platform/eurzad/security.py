"""The security headers every response carries: a CSP with no inline script or style, nosniff, the referrer
policy, and `no-store` on every page (personal pages must not stay in a shared computer's cache)."""
from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Tracking and confirmation links carry their secret in the address: it never leaves for another site in a
    # Referer. Not no-referrer: over HTTPS Flask-WTF refuses a form posted without a same-site Referer.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
}


def _add_headers(response: Response) -> Response:
    response.headers.update(HEADERS)
    if request.endpoint != "static":  # the style sheet, scripts and fonts are the same for everyone
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_add_headers)
