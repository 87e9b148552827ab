"""Files attached to records: the form's attachments area, upload, download, delete.

    panel = attachment_panel(action_page, record)   # what web/attachments_panel.html shows
    POST /web/attachment/upload         model, res_id, file, back (multipart, CSRF)
    GET  /web/attachment/<id>           the file (?download=1 forces a download)
    POST /web/attachment/<id>/delete    confirmed, back (CSRF; without script, a
                                        confirmation page first)

Everything runs as the user, and ``ir.attachment`` applies Odoo's rule: the
attachments of a record are seen by whoever may read the record, added and
deleted by whoever may write it. Uploads are limited to the system parameter
``web.max_file_upload_size`` (bytes, default 25 MB). A download names the
original file (RFC 5987 for non-ASCII names) and is never sniffed; only
images and PDF are shown inline, everything else (HTML and SVG included) is
served as an attachment, page-like types as ``application/octet-stream``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from core.exceptions import AccessError
from core.http.web.controller import Page
from core.http.web.i18n import _, translate
from core.http.web.renderers import register_route
from core.i18n.format import format_datetime, format_number

DEFAULT_MAX_UPLOAD = 25 * 1024 * 1024
PARAMETER = "web.max_file_upload_size"
INLINE = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"})
_PAGE_LIKE = re.compile(r"html|svg|xml|javascript|ecmascript", re.IGNORECASE)


def max_upload_size(env: Any) -> int:
    """The upload limit in bytes (``web.max_file_upload_size``, default 25 MB)."""
    value = env["ir.config_parameter"].sudo().get_param(PARAMETER, "")
    try:
        size = int(str(value).strip())
    except ValueError:
        return DEFAULT_MAX_UPLOAD
    return size if size > 0 else DEFAULT_MAX_UPLOAD


def human_size(size: int, lang: str) -> str:
    for unit, scale in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("kB", 1024)):
        if size >= scale:
            return f"{format_number(size / scale, lang, 1)} {unit}"
    return f"{size} B"


def attachment_panel(action: Any, record: Any) -> dict | None:
    """The attachments of a saved record as the user sees them, and whether they
    may add some (None for a new record)."""
    if not record or "ir.attachment" not in action.env:
        return None
    env = action.env                    # the user's, with their language and time zone
    record = record.with_env(env)
    attachments = env["ir.attachment"]
    if not attachments.check_access_rights("read", raise_exception=False):
        return None
    found = attachments.search([("res_model", "=", record._name), ("res_id", "=", record.id)],
                               order="create_date desc, id desc")
    rows = found.read(["name", "file_size", "create_uid", "create_date", "mimetype"])
    tz = env.context.get("tz")
    items = [{"id": row["id"], "name": row["name"], "size": human_size(row["file_size"] or 0,
                                                                       env.lang),
              "uploader": row["create_uid"][1] if row["create_uid"] else "",
              "date": format_datetime(row["create_date"], env.lang, tz)
              if row["create_date"] else "", "url": f"/web/attachment/{row['id']}"}
             for row in rows]
    return {"items": items, "model": record._name, "res_id": record.id,
            "can_upload": _may_write(record) and attachments.check_access_rights(
                "create", raise_exception=False),
            "limit": human_size(max_upload_size(env), env.lang)}


def _may_write(record: Any) -> bool:
    from core.security import access

    if not record.check_access_rights("write", raise_exception=False):
        return False
    try:
        access.check_rules(record, "write")
    except AccessError:
        return False
    return True


def _back(page: Page, fallback: str = "/web") -> str:
    target = page.request.form.get("back") or ""
    return target if target.startswith("/") and not target.startswith("//") else fallback


# ---------------------------------------------------------------------------
# pages
# ---------------------------------------------------------------------------
def upload(page: Page) -> Response:
    form = page.request.form
    model = form.get("model", "")
    res_id = form.get("res_id", "")
    if model not in page.env or not res_id.isdigit():
        raise BadRequest(_("Unknown record"))
    record = page.env[model].browse(int(res_id)).exists()
    if not record:
        raise NotFound(_("This record does not exist (any more)."))
    back = _back(page, f"/web/model/{quote(model)}/{record.id}")
    files = [f for f in page.request.files.getlist("file")
             if isinstance(f, FileStorage) and f.filename]
    if not files:
        return _error(page, translate(page.env, _("Choose a file to attach.")), back, 422)
    limit = max_upload_size(page.env)
    values = []
    for upload_file in files:
        content = upload_file.read(limit + 1)
        if len(content) > limit:
            message = _("%(name)s is larger than the limit of %(limit)s.",
                        name=upload_file.filename, limit=human_size(limit, page.env.lang))
            return _error(page, translate(page.env, message), back, 413)
        values.append({"name": upload_file.filename, "raw": content, "res_model": model,
                       "res_id": record.id})
    page.env["ir.attachment"].create(values)
    return redirect(back)


def _error(page: Page, message: str, back: str, status: int) -> Response:
    return page.render("web/attachments_error.html", status=status, message=message,
                       back=back, breadcrumbs=[(_("Attachments"), None)])


def _attachment(page: Page, attachment_id: int) -> Any:
    found = page.env["ir.attachment"].search([("id", "=", attachment_id)])
    if not found:
        raise NotFound(_("This file does not exist, or you may not see it."))
    return found


def download(page: Page, attachment_id: int) -> Response:
    attachment = _attachment(page, attachment_id)
    row = attachment.read(["name", "mimetype", "type", "url"])[0]
    if row["type"] == "url":
        url = row["url"] or ""
        if not url.startswith(("https://", "http://", "/")) or url.startswith("//"):
            raise NotFound()
        return redirect(url)
    content = attachment.raw or b""
    mimetype = (row["mimetype"] or "application/octet-stream").split(";")[0].strip().lower()
    inline = mimetype in INLINE and not page.request.args.get("download")
    if _PAGE_LIKE.search(mimetype):
        mimetype = "application/octet-stream"
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(
        row["name"] or "file", inline)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def content_disposition(name: str, inline: bool = False) -> str:
    """The header naming ``name``: an ASCII fallback and the UTF-8 name (RFC 5987)."""
    ascii_name = re.sub(r'[^\x20-\x7e]|["\\]', "_", name)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def delete(page: Page, attachment_id: int) -> Response:
    attachment = _attachment(page, attachment_id)
    back = _back(page)
    if not page.request.form.get("confirmed"):
        question = translate(page.env, _("Delete the file %(name)s?", name=attachment.name))
        return page.render("web/confirm.html", question=question,
                           fields=[("back", back)], back=back,
                           action_url=f"/web/attachment/{attachment.id}/delete")
    attachment.unlink()
    return redirect(back)


register_route("/web/attachment/upload", "attachment_upload", upload, ("POST",), "page")
register_route("/web/attachment/<int:attachment_id>", "attachment_download", download,
               ("GET",), "page")
register_route("/web/attachment/<int:attachment_id>/delete", "attachment_delete", delete,
               ("POST",), "page")
