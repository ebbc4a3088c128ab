"""An attached file: the answer kept is the file's SHA-256; its name, size and type are kept beside it."""
from __future__ import annotations

from typing import Any

from wtforms import fields as wtf

from .. import html
from ..attachments import DEFAULT_KINDS, DEFAULT_MAX_MB, Upload, accepted, check_upload
from ..messages import N_
from .base import MISSING, AnswerRow, Field, FieldType, Question, Shown


class FileUpload(FieldType):
    widget = "file"
    uploads = True
    nested_problem = "a file can only be asked as a question of its own, not inside a group"
    messages = {"required": N_("Choose a file")}

    @classmethod
    def accepts(cls, schema):
        return schema.get("type") == "string" and schema.get("format") == "attachment"

    def unbound_field(self, field, locale, build):
        return wtf.FileField(field.label.get(locale))

    def to_json(self, field: Field, raw: Any) -> Any:
        return MISSING  # files arrive through the upload, not as form text

    def kinds(self, field: Field) -> tuple[str, ...]:
        return tuple(field.ui.get("file_types", DEFAULT_KINDS))

    def max_mb(self, field: Field) -> int:
        return int(field.ui.get("max_size_mb", DEFAULT_MAX_MB))

    def upload_limit(self, field: Field) -> int:
        return self.max_mb(field) * 1024 * 1024

    def take_upload(self, field: Field, content: bytes, filename: str) -> Upload:
        return check_upload(content, filename, self.kinds(field), self.max_mb(field))

    def render(self, q: Question) -> str:
        field, tr = q.field, q.tr
        kinds = self.kinds(field)
        rules = tr.gettext(N_("File: %(kinds)s, up to %(limit)d MB."), kinds=tr.any_of(kinds), limit=self.max_mb(field))
        current = q.current_file(field) if q.current_file else None
        attached = ""
        if current:
            attached_text, remove_text = html.e(tr.gettext(N_("Attached:"))), html.e(tr.gettext(N_("Remove the file")))
            name = f'<a href="{html.e(current[1])}">{html.e(current[0])}</a>' if current[1] else html.e(current[0])
            attached = (f'<p class="file-current">{attached_text} {name} '
                        + q.button(f"remove-file/{field.name}",
                                   f'{remove_text}<span class="visually-hidden"> {html.e(current[0])}</span>',
                                   kind="link-button") + "</p>")
        described = html.described_by(q.fid, True, bool(q.error))
        control = (f'<input class="file-upload{" input--error" if q.error else ""}" type="file" id="{q.fid}" '
                   f'name="{q.fid}" accept="{html.e(accepted(kinds))}" aria-describedby="{described}">')
        return q.labelled(attached + control, extra_hint=rules)

    def rows(self, field: Field, value: Any, shown: Shown, depth: int) -> list[AnswerRow]:
        name, size = shown.files.get(value, (value[:12], 0))
        return [AnswerRow(field.label.get(shown.tr.locale), f"{name} ({shown.tr.file_size(size)})", depth, field.key)]
