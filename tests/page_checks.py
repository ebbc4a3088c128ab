"""What every HTML page eurzad serves must not hold: code the Content-Security-Policy would block (an inline
script, a style element or attribute, an on* handler, a javascript: address)."""
from __future__ import annotations

from html.parser import HTMLParser


class _InlineCode(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "script" and "src" not in named:
            self.found.append(f"<script> without src at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f'<{tag} {name}="{value}"> at line {self.getpos()[0]}')
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                    "javascript:"):
                self.found.append(f'<{tag} {name}="{value}"> at line {self.getpos()[0]}')


def inline_code(html: str) -> list[str]:
    """Each inline script, style or event handler in the page, with its line; [] for a page the CSP allows."""
    parser = _InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found
