"""The first look at every request: what no page can take is refused with a plain 400 page before any view,
form or query sees it (decision 0039).

A NUL character can be typed into no field and is refused by PostgreSQL in every text it stores or compares;
a form is sent as a browser sends it (url-encoded or multipart), never as JSON,
XML or plain text. One check here instead of one in each view: a route added later is covered too.
"""
from __future__ import annotations

from typing import Any

from flask import Flask, abort, current_app, request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, Map

MAX_NAME = 200
"""The longest field name a form has is far shorter (`household-19-address-postcode`): longer ones are noise."""

FORM_BODIES = ("application/x-www-form-urlencoded", "multipart/form-data")


def refuse_what_no_page_takes() -> None:
    """400 for NUL anywhere (path, query, field names and values, file names), a control character in the path, a
    body that is not a form, or a field name longer than any form has; 413 for more fields than MAX_FORM_PARTS in
    any form body. (A page number is each list's own: `pages.paginate`, the clerk's inbox.)"""
    if any(ord(char) < 32 for char in request.path):  # no address of this site has a control character
        abort(400)
    if any("\x00" in name or "\x00" in value for name, value in request.args.items(multi=True)):
        abort(400)
    if request.method in ("POST", "PUT", "PATCH") and request.content_length:
        if request.mimetype not in FORM_BODIES:
            abort(400)
        try:
            fields = list(request.form.items(multi=True))
            files = list(request.files.items(multi=True))
        except ValueError as broken:  # a multipart body the parser cannot read (werkzeug raises bare ValueError)
            raise BadRequest() from broken
        if len(fields) + len(files) > current_app.config["MAX_FORM_PARTS"]:  # Werkzeug counts multipart only
            abort(413)
        if any("\x00" in name or "\x00" in value or len(name) > MAX_NAME for name, value in fields):
            abort(400)
        if any("\x00" in name or "\x00" in (upload.filename or "") for name, upload in files):
            abort(400)


class IdConverter(IntegerConverter):
    """`<int:…>` in an address: a number the database's integer columns can hold; a bigger one is no page (404)
    instead of an error from PostgreSQL ("integer out of range")."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter  # before any blueprint adds its routes
    # Registered before the other extensions' checks (CSRF, limits) so that none of them reads such input first.
    app.before_request(refuse_what_no_page_takes)
