"""Attachments: files (or links) attached to records, in the database or on disk.

    att = env["ir.attachment"].create({"name": "offer.pdf", "raw": pdf_bytes,
                                       "res_model": "crm.lead", "res_id": lead.id})
    att.mimetype, att.file_size, att.checksum   # 'application/pdf', 52311, sha1 hex
    att.datas                                   # base64, as Odoo's API speaks
    att.raw                                     # the bytes

Where the content lives depends on the system parameter
``ir_attachment.location``: ``db`` (the default) keeps it in the
``db_datas`` column; ``file`` keeps it in the file store,
``<filestore>/<checksum[:2]>/<checksum>``, where the file store is
``$TROIKA_DATA_DIR/filestore/<database>`` (default
``var/filestore/<database>``). Identical contents share one file.

Files are never deleted inside a transaction, which could still roll
back: a file no attachment may need any more (replaced or unlinked) is
marked for collection, and ``_gc_file_store()`` (after the commit, or
from a scheduled job) deletes the marked files that no attachment
refers to.

Access follows the record, as in Odoo: a user sees an attachment of a
record (``res_model``/``res_id``) when they may read the record, and
creates, changes or deletes it when they may write the record; an
attachment of no record is its creator's (and administrators'); a
``public`` one is readable by everyone. Searches filter in SQL (the
records' own rules), reads and changes raise ``AccessError``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import mimetypes
import os
import re
import uuid
from pathlib import Path

import sqlalchemy as sa

from core import api, fields, models
from core.exceptions import ValidationError
from core.orm import sql
from core.orm.environment import chunks
from core.security import access

_FNAME = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{40}$")
#: leading bytes of common files, for contents without a telling name
_MAGIC = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"),
          (b"\xff\xd8\xff", "image/jpeg"), (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"),
          (b"PK\x03\x04", "application/zip"))
_TECHNICAL = ("file_size", "checksum", "store_fname")


class RawBinary(fields.Binary):
    """Binary content as bytes on records and in values (Odoo's ``raw``), not base64."""

    def convert_to_cache(self, value, record, validate=True):
        if value is None or value is False or value == b"" or value == "":
            return None
        if isinstance(value, str):
            return value.encode()
        if isinstance(value, (bytes, bytearray, memoryview)):
            return bytes(value)
        raise self.invalid(value, "bytes")

    def convert_to_record(self, value, record):
        return False if value is None else value

    convert_to_read = convert_to_record


def guess_mimetype(name: str | None, url: str | None, data: bytes | None) -> str:
    for candidate in (name, url.split("?")[0] if url else None):
        if candidate:
            found = mimetypes.guess_type(candidate, strict=False)[0]
            if found:
                return found
    if data:
        for magic, mimetype in _MAGIC:
            if data.startswith(magic):
                return mimetype
    return "application/octet-stream"


def _models_of(domain) -> list[str] | None:
    """The document models a domain restricts attachments to, when one of its
    top-level AND terms says (a record's attachments panel: res_model = X)."""
    if not isinstance(domain, (list, tuple)) or any(
            term in ("|", "!") for term in domain if isinstance(term, str)):
        return None
    for term in domain:
        if isinstance(term, (list, tuple)) and len(term) == 3 and term[0] == "res_model":
            if term[1] == "=" and isinstance(term[2], str):
                return [term[2]]
            if term[1] == "in" and isinstance(term[2], (list, tuple)) and \
                    all(isinstance(name, str) for name in term[2]):
                return list(term[2])
    return None


class IrAttachment(models.Model):
    _name = "ir.attachment"
    _description = "Attachment"
    _order = "id desc"

    name = fields.Char(required=True)
    description = fields.Text()
    res_name = fields.Char("Resource Name", compute="_compute_res_name")
    res_model = fields.Char("Resource Model", index=True,
                            help="The model of the record the file is attached to")
    res_field = fields.Char("Resource Field", help="Set for the content of a binary field")
    res_id = fields.Integer("Resource ID", index=True,
                            help="The id of the record the file is attached to")
    company_id = fields.Many2one("res.company", "Company",
                                 default=lambda self: self.env.company)
    type = fields.Selection([("url", "URL"), ("binary", "File")], required=True,
                            default="binary")
    url = fields.Char("Url", size=1024)
    public = fields.Boolean("Is public document")
    datas = fields.Binary("File Content (base64)", compute="_compute_datas",
                          inverse="_inverse_datas")
    raw = RawBinary("File Content (raw)", compute="_compute_raw", inverse="_inverse_raw")
    db_datas = RawBinary("Database Data")
    store_fname = fields.Char("Stored Filename", index=True)
    file_size = fields.Integer(readonly=True)
    checksum = fields.Char(size=40, index=True, readonly=True)
    mimetype = fields.Char("Mime Type", readonly=True)

    # ------------------------------------------------------------------
    # storage
    # ------------------------------------------------------------------
    @api.model
    def _storage(self) -> str:
        location = self.env["ir.config_parameter"].sudo().get_param(
            "ir_attachment.location", "db")
        return "file" if location == "file" else "db"

    @api.model
    def _filestore(self) -> Path:
        data_dir = os.environ.get("TROIKA_DATA_DIR")
        root = Path(data_dir) if data_dir else Path("var")
        database = sql.database_name(self.env.transaction.connection.engine.url)
        return root / "filestore" / database

    @api.model
    def _full_path(self, fname: str) -> Path:
        # store_fname comes from the database: never let it leave the file store
        if not _FNAME.match(fname or ""):
            raise ValidationError(f"Invalid stored file name {fname!r}")
        return self._filestore() / fname

    @api.model
    def _file_read(self, fname: str) -> bytes:
        try:
            return self._full_path(fname).read_bytes()
        except OSError:
            return b""  # as Odoo: a lost file reads as empty rather than failing the page

    @api.model
    def _file_write(self, data: bytes, checksum: str) -> str:
        fname = f"{checksum[:2]}/{checksum}"
        path = self._full_path(fname)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{checksum}.{uuid.uuid4().hex}.tmp")
            temporary.write_bytes(data)
            os.replace(temporary, path)  # atomic: readers never see half a file
        # if this transaction rolls back, nothing refers to the file: collect it then
        self._mark_for_gc(fname)
        return fname

    @api.model
    def _file_delete(self, fname: str) -> None:
        self._mark_for_gc(fname)

    @api.model
    def _mark_for_gc(self, fname: str) -> None:
        marker = self._filestore() / "checklist" / fname
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()

    @api.model
    def _gc_file_store(self) -> int:
        """Delete the marked files that no attachment refers to; how many went."""
        checklist_dir = self._filestore() / "checklist"
        markers = {f"{marker.parent.name}/{marker.name}": marker
                   for marker in checklist_dir.glob("*/*") if _FNAME.match(
                       f"{marker.parent.name}/{marker.name}")}
        if not markers:
            return 0
        table = self._table_obj
        if self.env.transaction.connection.dialect.name == "postgresql":
            # wait for the transactions that are adding attachments: one of them
            # may be about to refer to a marked file (writers are serialised on SQLite)
            quoted = self.env.transaction.connection.dialect.identifier_preparer.format_table(
                table)
            self.env.execute(sa.text(f"LOCK TABLE {quoted} IN SHARE MODE"))
        names = sorted(markers)
        referenced: set[str] = set()
        for start in range(0, len(names), 1000):
            chunk = names[start:start + 1000]
            referenced.update(self.env.execute(
                sa.select(table.c.store_fname).where(table.c.store_fname.in_(chunk))).scalars())
        removed = 0
        for fname, marker in markers.items():
            if fname not in referenced:
                self._full_path(fname).unlink(missing_ok=True)
                removed += 1
            marker.unlink(missing_ok=True)
        return removed

    @api.model
    def _get_datas_related_values(self, data: bytes) -> dict:
        checksum = hashlib.sha1(data).hexdigest()
        values = {"file_size": len(data), "checksum": checksum, "store_fname": False,
                  "db_datas": data or False}
        if data and self._storage() == "file":
            values["store_fname"] = self._file_write(data, checksum)
            values["db_datas"] = False
        return values

    # ------------------------------------------------------------------
    # content fields
    # ------------------------------------------------------------------
    @api.depends("store_fname", "db_datas")
    def _compute_raw(self) -> None:
        for attachment in self:
            if attachment.store_fname:
                attachment.raw = attachment._file_read(attachment.store_fname)
            else:
                attachment.raw = attachment.db_datas

    def _inverse_raw(self) -> None:
        for attachment in self:
            attachment._set_attachment_data(attachment.raw or b"")

    @api.depends("store_fname", "db_datas")
    def _compute_datas(self) -> None:
        for attachment in self:
            raw = attachment.raw
            attachment.datas = base64.b64encode(raw) if raw else False

    def _inverse_datas(self) -> None:
        for attachment in self:
            datas = attachment.datas
            attachment._set_attachment_data(base64.b64decode(datas) if datas else b"")

    def _set_attachment_data(self, data: bytes) -> None:
        """Store ``data`` as the content of these attachments, in place of the old one."""
        values = self._get_datas_related_values(data)
        old = {attachment.store_fname for attachment in self.sudo() if attachment.store_fname}
        super(IrAttachment, self.sudo()).write(values)
        for fname in old - {values["store_fname"]}:
            self._file_delete(fname)

    @api.depends("res_model", "res_id")
    def _compute_res_name(self) -> None:
        for attachment in self:
            name = False
            if attachment.res_model in self.env and attachment.res_id:
                record = self.env[attachment.res_model].browse(attachment.res_id).sudo()
                if record.exists():
                    name = record.display_name
            attachment.res_name = name

    # ------------------------------------------------------------------
    # create / write / unlink
    # ------------------------------------------------------------------
    @staticmethod
    def _content_of(vals: dict) -> bytes | None:
        """The raw content given in ``vals`` (as ``raw`` or base64 ``datas``), or None."""
        if "raw" in vals:
            raw = vals.pop("raw")
            vals.pop("datas", None)
            if isinstance(raw, str):
                raw = raw.encode()
            return bytes(raw) if raw else b""
        if "datas" in vals:
            datas = vals.pop("datas")
            if not datas:
                return b""
            try:
                return base64.b64decode(datas, validate=True)
            except (binascii.Error, ValueError, TypeError):
                raise ValidationError("The file content (datas) must be base64-encoded.") \
                    from None
        return None

    def _check_contents(self, vals: dict, data: bytes | None, name: str | None = None) -> dict:
        """Set the mimetype; for users who may not publish pages, a page-like
        content (HTML, XML, SVG, JavaScript) is served as plain text."""
        mimetype = vals.get("mimetype") or guess_mimetype(vals.get("name") or name,
                                                          vals.get("url"), data)
        lowered = mimetype.lower()
        page_like = ("ht" in lowered or "javascript" in lowered or "svg" in lowered
                     or ("xml" in lowered and "openxmlformats" not in lowered))
        if page_like and not self._may_publish_pages():
            mimetype = "text/plain"
        vals["mimetype"] = mimetype
        return vals

    def _may_publish_pages(self) -> bool:
        if self.env.is_superuser():
            return True
        return bool(self.env.uid) and self.env.user.has_group("base.group_system")

    @api.model_create_multi
    def create(self, vals_list):
        prepared = []
        for vals in vals_list:
            self.browse().check("create", values=vals)
            vals = {key: value for key, value in vals.items() if key not in _TECHNICAL}
            data = self._content_of(vals)
            if data is not None:
                vals.update(self._get_datas_related_values(data))
            prepared.append(self._check_contents(vals, data))
        return super().create(prepared)

    def write(self, vals):
        self.check("write", values=vals)
        vals = {key: value for key, value in vals.items() if key not in _TECHNICAL}
        data = self._content_of(vals)
        if data is not None or "mimetype" in vals:
            vals = self._check_contents(vals, data, self.name if len(self) == 1 else None)
        result = super().write(vals) if vals else True
        if data is not None:
            self._set_attachment_data(data)
        return result

    def unlink(self):
        self.check("unlink")
        fnames = {attachment.store_fname for attachment in self.sudo() if attachment.store_fname}
        result = super().unlink()
        for fname in fnames:
            self._file_delete(fname)
        return result

    # ------------------------------------------------------------------
    # access: an attachment follows its record
    # ------------------------------------------------------------------
    def _where(self, domain, table=None):
        condition = super()._where(domain, table)
        allowed = self._readable_condition(self._table_obj if table is None else table,
                                           _models_of(domain))
        return condition if allowed is None else sa.and_(condition, allowed)

    def _readable_condition(self, table, models=None):
        """SQL: the attachments the user may read (None: all of them); ``models``:
        the only document models the search can reach (None: any, looked up)."""
        env = self.env
        if not access.enabled(env):
            return None
        own = sa.or_(table.c.res_model.is_(None), table.c.res_id.is_(None), table.c.res_id == 0)
        parts = [table.c.public == sa.true()]
        parts.append(own if self._may_see_all_unattached() else
                     sa.and_(own, table.c.create_uid == env.uid))
        if models is None:
            mine = self._table_obj
            models = env.transaction.execute(
                sa.select(mine.c.res_model).where(mine.c.res_model.is_not(None))
                .distinct()).scalars()
        for name in sorted(models):
            if name not in env or env[name]._abstract or \
                    not env[name].check_access_rights("read", raise_exception=False):
                continue
            target = env[name].with_context(active_test=False)
            if access.rule_domain(target, "read") is None:
                parts.append(table.c.res_model == name)
            else:
                parts.append(sa.and_(table.c.res_model == name,
                                     table.c.res_id.in_(target._select_ids([]))))
        return sa.or_(*parts)

    def _may_see_all_unattached(self) -> bool:
        return self.env.is_superuser() or self.env.user.has_group("base.group_system")

    def _fetch_columns(self, ids, field_list):
        if access.enabled(self.env):
            self.browse(ids).check("read")
        super()._fetch_columns(ids, field_list)

    def check(self, mode: str, values: dict | None = None) -> None:
        """AccessError unless the user may ``mode`` (read, write, create, unlink)
        these attachments (and, with ``values``, attach them where these say)."""
        env = self.env
        if not access.enabled(env) or not (self or values):
            return
        if mode == "read":
            self._check_readable()
            return
        targets: dict[str, set] = {}
        rows = self.sudo().read(["res_model", "res_id", "create_uid"]) if self else []
        for row in rows:
            if row["res_model"] and row["res_id"]:
                targets.setdefault(row["res_model"], set()).add(row["res_id"])
            elif row["create_uid"] and row["create_uid"][0] != env.uid \
                    and not self._may_see_all_unattached():
                raise access.denied(self.browse(row["id"]), "write")
        if values and values.get("res_model") and values.get("res_id"):
            targets.setdefault(values["res_model"], set()).add(values["res_id"])
        for name, ids in targets.items():
            if name not in env:
                continue
            records = env[name].with_context(active_test=False).browse(sorted(ids)).exists()
            records.check_access_rights("write")
            access.check_rules(records, "write")

    def _check_readable(self) -> None:
        ids = [i for i in self._ids if isinstance(i, int)]
        table = self._table_obj
        allowed = self._readable_condition(table)
        if allowed is None or not ids:
            return
        seen: set = set()
        for chunk in chunks(ids):
            seen.update(self.env.transaction.execute(
                sa.select(table.c.id).where(table.c.id.in_(chunk), allowed)).scalars())
        hidden = self.browse([i for i in ids if i not in seen]).sudo().exists()
        if hidden:      # deleted ones are the caller's MissingError, not ours
            raise access.denied(hidden.with_env(self.env), "read")

    def _search(self, domain=(), offset=0, limit=None, order=None):
        # as Odoo: the contents of binary fields are hidden unless asked for
        if not isinstance(domain, (list, tuple)):
            return super()._search(domain, offset, limit, order)
        domain = list(domain)
        if not any(isinstance(term, (list, tuple)) and term and term[0] in ("id", "res_field")
                   for term in domain):
            domain = [("res_field", "=", False)] + domain
        return super()._search(domain, offset, limit, order)
