"""Rows in and out of models: Odoo's ``load()`` and ``export_data()`` (a mixin of ``BaseModel``).

    result = env["res.partner"].load(
        ["id", "name", "country_id", "category_id/id", "child_ids/name"],
        [["acme", "Acme", "Germany", "base.res_partner_category_1", "Alice"],
         ["", "", "", "", "Bob"]])                  # a second contact of Acme
    result["ids"]          # [42]: one id per record, or False when any row failed
    result["messages"]     # [{"type": "error", "message": ..., "record": 0,
                           #   "rows": {"from": 0, "to": 1}, "field": "country_id",
                           #   "field_path": "country_id", "field_name": "Country"}]
    partners.export_data(["name", "country_id", "country_id/code"])["datas"]
                           # [["Acme", "Germany", "DE"], ...]

``load(fields, data)`` takes field paths and rows of text, as Odoo's
import does: ``field`` (a value, a many2one's display name, a many2many's
comma-separated names, a selection's value or label), ``field/id`` (external
ids), ``field/.id`` (database ids), ``id`` (the record's external id: an
existing one updates its record, a new one is created with the record) and
``.id`` (a database id: updates). One2many lines come as sub-paths
(``line_ids/name``); a row whose other cells are empty adds a line to the
record above. Text is read in the user's language: numbers with its
separators, dates in its numeric form or ISO, datetimes in the user's time
zone, selection labels in the user's language or English.

All or nothing: every row is checked and every error reported (row, field,
message); when any row failed, nothing is written and ``ids`` is False.
Records are created as the user (rights and rules apply) in batches of the
ORM's ``create``; a batch that fails is retried row by row in savepoints to
find every bad row. A reference to a record created earlier in the same
file (by external id, or by name on the same model) sends the pending batch
to the database first.

``export_data(fields)`` returns ``{"datas": rows}``: values as the user
reads them (display names, selection labels in their language, datetimes in
their time zone), ``id`` as the external id (an ``__export__`` one is made
for records without one, as Odoo does); x2many sub-paths (``line_ids/name``)
add one row per line, as ``load`` expects them back.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core import api
from core.exceptions import AccessError, UserError
from core.i18n.format import parse_date, parse_datetime, parse_number, to_user_time
from core.i18n.translate import _, field_string, selection_label
from core.orm.environment import chunks

if TYPE_CHECKING:
    from core.orm.models import BaseModel

IMPORT_MODULE = "__import__"
EXPORT_MODULE = "__export__"
#: records per ``create`` call
BATCH = 500
_TRUE = {"1", "true", "yes", "y", "t", "on", "x"}
_FALSE = {"0", "false", "no", "n", "f", "off"}
_MAGIC = {"create_uid", "create_date", "write_uid", "write_date", "display_name"}
#: what an empty cell converts to: nothing (defaults apply on create)
EMPTY = object()

Progress = Callable[[int, int], None]


class ImportValueError(ValueError):
    """A cell that does not convert; the message is for the person importing."""


class _Rollback(Exception):
    """Leaves the savepoint of a load that had errors."""


class _Abort(Exception):
    """An error that makes the rest of the file pointless (no right to create)."""


def split_path(path: str) -> list[str]:
    """``partner_id/id`` -> ['partner_id', 'id']; Odoo's older ``partner_id:id`` too."""
    path = re.sub(r"([^/]):(\.?id)$", r"\1/\2", path.strip())
    return path.split("/")


def qualified_xmlid(text: str) -> tuple[str, str]:
    """(module, name) of an external id; a bare name belongs to ``__import__``."""
    module, dot, name = text.strip().partition(".")
    return (module, name) if dot else (IMPORT_MODULE, module)


def _cell_text(value: Any) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    return value if isinstance(value, str) else str(value)


# ---------------------------------------------------------------------------
# columns of one model (the file's own, or a one2many's lines)
# ---------------------------------------------------------------------------
@dataclass
class Column:
    index: int
    path: str
    name: str
    sub: str | None = None


@dataclass
class Level:
    model: Any
    simple: list[Column] = field(default_factory=list)
    children: dict[str, Level] = field(default_factory=dict)
    xmlid: Column | None = None
    dbid: Column | None = None
    #: the many2one back to the parent record (filled by the one2many)
    parent_field: str | None = None

    @property
    def own_indexes(self) -> list[int]:
        columns = [*self.simple, *(c for c in (self.xmlid, self.dbid) if c is not None)]
        return [c.index for c in columns]

    def all_indexes(self) -> list[int]:
        return self.own_indexes + [i for child in self.children.values()
                                   for i in child.all_indexes()]

    def spans(self, rows: list[list[str]], start: int, end: int, top: bool
              ) -> list[tuple[int, int]]:
        """The (first row, end row) of each record in rows[start:end]: a record
        starts where one of this level's own cells is filled."""
        own = self.own_indexes
        watched = own or self.all_indexes()
        spans: list[list[int]] = []
        for index in range(start, end):
            row = rows[index]
            if any(row[i].strip() for i in watched):
                spans.append([index, index + 1])        # a record starts here
            elif spans:
                spans[-1][1] = index + 1                # a line of the record above
            elif top and any(cell.strip() for cell in row):
                spans.append([index, index + 1])
        return [(a, b) for a, b in spans]


def build_level(model: BaseModel, paths: list[tuple[int, list[str]]], depth: int = 0
                ) -> Level:
    """The columns of ``model`` among ``paths`` (index, parts); ValueError for a
    path that names no importable field."""
    level = Level(model)
    nested: dict[str, list[tuple[int, list[str]]]] = {}
    for index, parts in paths:
        rest = parts[depth:]
        shown = "/".join(parts)
        if rest in (["id"], [".id"]):
            column = Column(index, shown, rest[0])
            setattr(level, "xmlid" if rest[0] == "id" else "dbid", column)
            continue
        fld = model._fields.get(rest[0])
        if fld is None or rest[0] in _MAGIC or rest[0] == "id":
            raise ValueError(_(model.env, "Unknown field '%(path)s' on %(model)s.",
                               path=shown, model=model._name))
        if len(rest) == 1:
            level.simple.append(Column(index, shown, rest[0]))
        elif len(rest) == 2 and rest[1] in ("id", ".id") and fld.type in (
                "many2one", "many2many", "one2many"):
            level.simple.append(Column(index, shown, rest[0], rest[1]))
        elif fld.type == "one2many":
            nested.setdefault(rest[0], []).append((index, parts))
        else:
            raise ValueError(_(model.env, "The field path '%(path)s' cannot be imported: "
                                          "only one2many fields take sub-fields.", path=shown))
    for name, sub_paths in nested.items():
        fld = model._fields[name]
        child = build_level(model.env[fld.comodel_name], sub_paths, depth + 1)
        child.parent_field = fld.inverse_name
        level.children[name] = child
    return level


# ---------------------------------------------------------------------------
# converting a cell
# ---------------------------------------------------------------------------
class Converter:
    """Turns cells into write() values in the user's language, with lookups cached."""

    def __init__(self, loader: Loader):
        self.loader = loader
        self.env = loader.env
        self.lang = self.env.lang
        self.tz = self.env.context.get("tz")
        self.ids: dict[tuple, int] = {}
        self.choices: dict[tuple, dict[str, Any]] = {}
        self.booleans = self._boolean_words()

    def _boolean_words(self) -> tuple[set[str], set[str]]:
        env = self.env
        yes = {_(env, "Yes").lower(), _(env, "True").lower(), *_TRUE}
        no = {_(env, "No").lower(), _(env, "False").lower(), *_FALSE}
        return yes, no

    def convert(self, model: BaseModel, column: Column, text: str) -> Any:
        fld = model._fields[column.name]
        stripped = text.strip()
        if not stripped:
            return EMPTY
        handler = getattr(self, f"_to_{fld.type}", None)
        if handler is None:
            raise ImportValueError(_(self.env, "The field '%(field)s' cannot be imported.",
                                     field=field_string(self.env, fld)))
        if fld.type in ("many2one", "many2many", "one2many"):
            return handler(fld, column.sub, stripped)
        return handler(fld, text if fld.type in ("text", "html") else stripped)

    # -- plain values ------------------------------------------------------
    def _to_char(self, fld: Any, text: str) -> str:
        return text

    _to_text = _to_html = _to_char

    def _to_boolean(self, fld: Any, text: str) -> bool:
        yes, no = self.booleans
        if text.lower() in yes:
            return True
        if text.lower() in no:
            return False
        raise ImportValueError(_(self.env, "'%(value)s' is not a yes/no value (write 1 or 0, "
                                           "yes or no).", value=text))

    def _number(self, text: str) -> float:
        try:
            return parse_number(text, self.lang)
        except ValueError:
            pass
        try:
            return float(text)      # the machine's form: 1234.5, 1e3
        except ValueError:
            raise ImportValueError(_(self.env, "'%(value)s' is not a number.", value=text)) \
                from None

    def _to_integer(self, fld: Any, text: str) -> int:
        value = self._number(text)
        if value != int(value):
            raise ImportValueError(_(self.env, "'%(value)s' is not a whole number.",
                                     value=text))
        return int(value)

    def _to_float(self, fld: Any, text: str) -> float:
        return self._number(text)

    _to_monetary = _to_float

    def _to_date(self, fld: Any, text: str) -> dt.date:
        try:
            return parse_date(text, self.lang)
        except ValueError as exc:
            try:
                return dt.datetime.fromisoformat(text).date()
            except ValueError:
                raise ImportValueError(str(exc)) from None

    def _to_datetime(self, fld: Any, text: str) -> dt.datetime:
        try:
            return parse_datetime(text, self.lang, self.tz)
        except ValueError as exc:
            raise ImportValueError(str(exc)) from None

    def _to_selection(self, fld: Any, text: str) -> Any:
        key = (fld.model_name, fld.name)
        if key not in self.choices:
            choices: dict[str, Any] = {}
            for value, label in fld.get_values(self.env):
                for word in (value, label, selection_label(self.env, fld, value)):
                    choices.setdefault(str(word).strip().lower(), value)
            self.choices[key] = choices
        found = self.choices[key].get(text.lower(), EMPTY)
        if found is EMPTY:
            labels = ", ".join(str(selection_label(self.env, fld, v))
                               for v, _label in fld.get_values(self.env))
            raise ImportValueError(_(self.env, "'%(value)s' is not one of the choices of "
                                               "'%(field)s': %(choices)s.", value=text,
                                     field=field_string(self.env, fld), choices=labels))
        return found

    def _to_binary(self, fld: Any, text: str) -> str:
        try:
            base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise ImportValueError(_(self.env, "The content of '%(field)s' must be "
                                               "base64-encoded.",
                                     field=field_string(self.env, fld))) from None
        return text

    # -- relations ---------------------------------------------------------
    def _to_many2one(self, fld: Any, sub: str | None, text: str) -> int:
        return self.reference(fld, sub, text)

    def _to_many2many(self, fld: Any, sub: str | None, text: str) -> list:
        ids = [self.reference(fld, sub, part.strip()) for part in text.split(",")
               if part.strip()]
        return [(6, 0, list(dict.fromkeys(ids)))]

    def _to_one2many(self, fld: Any, sub: str | None, text: str) -> list:
        ids = [self.reference(fld, sub, part.strip()) for part in text.split(",")
               if part.strip()]
        return [(4, i, 0) for i in dict.fromkeys(ids)]

    def reference(self, fld: Any, sub: str | None, text: str) -> int:
        """The id of the ``fld.comodel_name`` record that ``text`` names."""
        if sub == ".id":
            return self._by_id(fld, text)
        if sub == "id":
            return self._by_xmlid(fld, text)
        return self._by_name(fld, text)

    def _by_id(self, fld: Any, text: str) -> int:
        comodel = self.env[fld.comodel_name]
        if text.isdigit() and comodel.browse(int(text)).exists():
            return int(text)
        raise ImportValueError(_(self.env, "No record of '%(field)s' has the database id "
                                           "%(value)s.", field=field_string(self.env, fld),
                                 value=text))

    def _by_xmlid(self, fld: Any, text: str) -> int:
        module, name = qualified_xmlid(text)
        if f"{module}.{name}" in self.loader.pending_xmlids:
            self.loader.flush()
        found = self.env["ir.model.data"]._xmlid_lookup(module, name)
        if found and found[0] == fld.comodel_name and \
                self.env[found[0]].browse(found[1]).exists():
            return found[1]
        raise ImportValueError(_(self.env, "No record of '%(field)s' has the external id "
                                           "'%(value)s'.", field=field_string(self.env, fld),
                                 value=text))

    def _by_name(self, fld: Any, text: str) -> int:
        key = (fld.comodel_name, text)
        if key in self.ids:
            return self.ids[key]
        found = self._name_search(fld, text)
        if not found and fld.comodel_name == self.loader.model._name and self.loader.pending:
            self.loader.flush()         # a record of this file, not created yet
            found = self._name_search(fld, text)
        if not found:
            raise ImportValueError(_(self.env, "No record of '%(field)s' is named '%(value)s'.",
                                     field=field_string(self.env, fld), value=text))
        if len(found) > 1:
            self.loader.warn(_(self.env, "Several records of '%(field)s' are named "
                                         "'%(value)s'; the first one was used.",
                               field=field_string(self.env, fld), value=text))
        self.ids[key] = found[0][0]
        return found[0][0]

    def _name_search(self, fld: Any, text: str) -> list:
        comodel = self.env[fld.comodel_name]
        try:
            return comodel.name_search(text, operator="=", limit=2) or \
                comodel.name_search(text, operator="=ilike", limit=2)
        except ValueError:          # a model without a name: only ids reach it
            raise ImportValueError(_(self.env, "Records of '%(field)s' have no name to look "
                                               "for; use their external id (%(path)s/id).",
                                     field=field_string(self.env, fld), path=fld.name)) \
                from None


# ---------------------------------------------------------------------------
# the load
# ---------------------------------------------------------------------------
@dataclass
class _Pending:
    record: int
    vals: dict
    xmlid: str | None
    stale: Any = None       # the ir.model.data row of an xmlid whose record is gone


class Loader:
    """One ``load()``: converts the rows, creates and writes, collects the messages."""

    def __init__(self, model: BaseModel, fields: Sequence[str], progress: Progress | None = None):
        self.model = model
        self.env = model.env
        self.fields = [split_path(f) for f in fields]
        self.progress = progress
        self.messages: list[dict] = []
        self.ids: list[int | None] = []
        self.spans: list[tuple[int, int]] = []
        self.pending: list[_Pending] = []
        self.pending_xmlids: set[str] = set()
        self.current: int | None = None
        self.converter = Converter(self)

    @property
    def failed(self) -> bool:
        return any(m["type"] == "error" for m in self.messages)

    def message(self, text: str, kind: str = "error", record: int | None = None,
                column: Column | None = None, model: BaseModel | None = None) -> None:
        record = self.current if record is None else record
        item: dict[str, Any] = {"type": kind, "message": text, "record": record}
        if record is not None and record < len(self.spans):
            start, end = self.spans[record]
            item["rows"] = {"from": start, "to": end - 1}
        if column is not None:
            fld = (model or self.model)._fields.get(column.name)
            item.update(field=column.path.split("/")[0], field_path=column.path,
                        field_name=field_string(self.env, fld) if fld is not None
                        else column.path)
        self.messages.append(item)

    def warn(self, text: str) -> None:
        self.message(text, "warning")

    def run(self, data: Sequence[Sequence[Any]]) -> dict:
        rows = [[_cell_text(v) for v in row] for row in data]
        width = len(self.fields)
        rows = [row + [""] * (width - len(row)) if len(row) < width else row for row in rows]
        try:
            level = build_level(self.model, list(enumerate(self.fields)))
        except ValueError as exc:
            self.message(str(exc))
            return self.result()
        try:
            with self.env.transaction.atomic(savepoint=True):
                self._load(level, rows)
                if self.failed:
                    raise _Rollback()
        except (_Rollback, _Abort):
            pass
        return self.result()

    def result(self) -> dict:
        failed = self.failed
        return {"ids": False if failed else [i for i in self.ids if i], "messages":
                self.messages, "nextrow": 0}

    def _load(self, level: Level, rows: list[list[str]]) -> None:
        self.spans = level.spans(rows, 0, len(rows), top=True)
        self.ids = [None] * len(self.spans)
        for record, (start, end) in enumerate(self.spans):
            self.current = record
            target, xmlid, stale = self._identity(level, rows[start])
            if target is False:
                continue
            vals = self._values(level, rows, start, end, creating=target is None)
            if vals is None:
                continue
            if target is not None:
                self._write(record, target, vals)
            else:
                self.pending.append(_Pending(record, vals, xmlid, stale))
                if xmlid:
                    self.pending_xmlids.add(xmlid)
                if len(self.pending) >= BATCH:
                    self.flush()
            if self.progress and record % 100 == 0:
                self.progress(end, len(rows))
        self.current = None
        self.flush()
        if self.progress:
            self.progress(len(rows), len(rows))

    # -- identity of a row: the record it updates, or the external id it gets --
    def _identity(self, level: Level, row: list[str], model: BaseModel | None = None
                  ) -> tuple[Any, str | None, Any]:
        """(record to update | None to create | False on error, xmlid, stale data)."""
        model = model or self.model
        if level.dbid is not None and row[level.dbid.index].strip():
            text = row[level.dbid.index].strip()
            record = model.browse(int(text)).exists() if text.isdigit() else None
            if not record:
                self.message(_(self.env, "No record has the database id %(value)s.",
                               value=text), column=level.dbid, model=model)
                return False, None, None
            return record, None, None
        if level.xmlid is None or not row[level.xmlid.index].strip():
            return None, None, None
        module, name = qualified_xmlid(row[level.xmlid.index])
        xmlid = f"{module}.{name}"
        if xmlid in self.pending_xmlids:
            self.flush()
        data = self.env["ir.model.data"].sudo().search([("module", "=", module),
                                                         ("name", "=", name)], limit=1)
        if not data:
            return None, xmlid, None
        if data.model != model._name:
            self.message(_(self.env, "The external id '%(xmlid)s' belongs to a record of "
                                     "%(model)s.", xmlid=xmlid, model=data.model),
                         column=level.xmlid, model=model)
            return False, None, None
        record = model.browse(data.res_id).exists()
        return (record, None, None) if record else (None, xmlid, data)

    # -- values of a record --------------------------------------------------------
    def _values(self, level: Level, rows: list[list[str]], start: int, end: int,
                creating: bool) -> dict | None:
        row = rows[start]
        model = level.model
        vals: dict[str, Any] = {}
        ok = True
        for column in level.simple:
            try:
                value = self.converter.convert(model, column, row[column.index])
            except ImportValueError as exc:
                self.message(str(exc), column=column, model=model)
                ok = False
                continue
            if value is EMPTY:
                if creating:
                    continue        # the field's default applies
                fld = model._fields[column.name]
                value = [(6, 0, [])] if fld.type == "many2many" else False
            vals[column.name] = value
        for name, child in level.children.items():
            commands = self._lines(child, rows, start, end)
            ok = ok and commands is not None
            if commands:
                vals[name] = commands
        return vals if self._check_required(level, row, vals, creating) and ok else None

    def _lines(self, level: Level, rows: list[list[str]], start: int, end: int
               ) -> list | None:
        commands: list = []
        ok = True
        for first, last in level.spans(rows, start, end, top=False):
            target, xmlid, _stale = self._identity(level, rows[first], level.model)
            if target is False:
                ok = False
                continue
            if xmlid:
                column = level.xmlid
                self.message(_(self.env, "No line has the external id '%(xmlid)s'; lines "
                                         "are matched by existing external ids only.",
                               xmlid=xmlid), column=column, model=level.model)
                ok = False
                continue
            vals = self._values(level, rows, first, last, creating=target is None)
            if vals is None:
                ok = False
                continue
            commands.append((1, target.id, vals) if target else (0, 0, vals))
        return commands if ok else None

    def _check_required(self, level: Level, row: list[str], vals: dict, creating: bool
                        ) -> bool:
        model = level.model
        columns = {c.name: c for c in level.simple}
        context = self.env.context
        ok = True
        for name, fld in model._fields.items():
            if not fld.required or not fld.store or fld.compute or fld.related \
                    or name in _MAGIC or name == "id" or name == level.parent_field:
                continue
            given = name in vals
            if given and vals[name] not in (False, None, "", []):
                continue
            if not given and (not creating or fld.default is not None
                              or f"default_{name}" in context):
                continue
            self.message(_(self.env, "A value is required for '%(field)s'.",
                           field=field_string(self.env, fld)),
                         column=columns.get(name) or Column(-1, name, name), model=model)
            ok = False
        return ok

    # -- writing -------------------------------------------------------------------
    def _write(self, record: int, target: BaseModel, vals: dict) -> None:
        try:
            with self.env.transaction.atomic(savepoint=True):
                target.write(vals)
        except (UserError, ValueError) as exc:
            self.message(str(exc), record=record)
            return
        self.ids[record] = target.id

    def flush(self) -> None:
        """Create the pending records: in one batch, or row by row when it fails."""
        batch, self.pending = self.pending, []
        self.pending_xmlids = set()
        if not batch:
            return
        try:
            with self.env.transaction.atomic(savepoint=True):
                created = list(self.model.create([p.vals for p in batch]))
        except AccessError as exc:
            self.message(str(exc), record=batch[0].record)
            raise _Abort() from None
        except (UserError, ValueError):
            created = [self._create_one(p) for p in batch]
        done = [(p, r) for p, r in zip(batch, created, strict=True) if r is not None]
        for item, record in done:
            self.ids[item.record] = record.id
        self._register_xmlids(done)

    def _create_one(self, item: _Pending) -> Any:
        try:
            with self.env.transaction.atomic(savepoint=True):
                return self.model.create(item.vals)
        except (UserError, ValueError) as exc:
            self.message(str(exc), record=item.record)
            return None

    def _register_xmlids(self, done: list[tuple[_Pending, Any]]) -> None:
        data = self.env["ir.model.data"].sudo()
        new = []
        for item, record in done:
            if not item.xmlid:
                continue
            if item.stale is not None:
                item.stale.write({"res_id": record.id})
                continue
            module, name = qualified_xmlid(item.xmlid)
            new.append({"module": module, "name": name, "model": self.model._name,
                        "res_id": record.id})
        if new:
            data.create(new)


# ---------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------
class Exporter:
    """Rows of ``export_data``: one call per model level, reads batched."""

    def __init__(self, env: Any):
        self.env = env
        self.labels: dict[tuple, dict] = {}

    def rows(self, records: BaseModel, paths: list[list[str]]) -> dict[int, list[list]]:
        """{id: [row, ...]} of ``records`` (one row, more for x2many lines)."""
        model = records.browse()
        plain, nested = self._columns(model, paths)
        names = sorted({paths[i][0] for i in plain if paths[i][0] not in ("id", ".id")}
                       | set(nested))
        data = {row["id"]: row for row in records.read(names)} if names else {}
        xmlids = ensure_xmlids(records) if any(paths[i] == ["id"] for i in plain) else {}
        subrows = {name: self._nested_rows(model, name, [paths[i][1:] for i in cols], data)
                   for name, cols in nested.items()}
        names_of = self._x2many_names(model, plain, paths, data)
        result = {}
        for record_id in records.ids:
            values = data.get(record_id, {"id": record_id})
            current = [""] * len(paths)
            lines = [current]
            for i in plain:
                current[i] = self._cell(model, paths[i], values, xmlids, names_of)
            for name, cols in nested.items():
                targets = values.get(name) or []
                targets = [targets[0]] if isinstance(targets, tuple) else targets
                sub_lines = [line for t in targets for line in subrows[name].get(t, [])]
                for j, line in enumerate(sub_lines):
                    if j >= len(lines):
                        lines.append([""] * len(paths))
                    for col, value in zip(cols, line, strict=True):
                        lines[j][col] = value
            result[record_id] = lines
        return result

    def _columns(self, model: BaseModel, paths: list[list[str]]
                 ) -> tuple[list[int], dict[str, list[int]]]:
        plain: list[int] = []
        nested: dict[str, list[int]] = {}
        for i, path in enumerate(paths):
            name = path[0]
            fld = model._fields.get(name)
            if name in ("id", ".id") and len(path) == 1:
                plain.append(i)
                continue
            if fld is None:
                raise ValueError(f"Invalid field {'/'.join(path)!r} on model {model._name!r}")
            if len(path) == 1 or (fld.type == "many2many" and path[1:] in (["id"], [".id"])):
                plain.append(i)
            elif fld.type in ("many2one", "one2many", "many2many"):
                nested.setdefault(name, []).append(i)
            else:
                raise ValueError(f"Field {name!r} of {model._name} has no sub-fields")
        return plain, nested

    def _nested_rows(self, model: BaseModel, name: str, paths: list[list[str]],
                     data: dict) -> dict[int, list[list]]:
        fld = model._fields[name]
        ids: list[int] = []
        for values in data.values():
            value = values.get(name)
            if isinstance(value, tuple):
                ids.append(value[0])
            elif isinstance(value, list):
                ids.extend(value)
        comodel = self.env[fld.comodel_name]
        return self.rows(comodel.browse(list(dict.fromkeys(ids))), paths) if ids else {}

    def _x2many_names(self, model: BaseModel, plain: list[int], paths: list[list[str]],
                      data: dict) -> dict[str, dict[int, str]]:
        names: dict[str, dict[int, str]] = {}
        for i in plain:
            path = paths[i]
            fld = model._fields.get(path[0])
            key = "/".join(path)
            if fld is None or fld.type not in ("one2many", "many2many") or key in names:
                continue
            ids = sorted({t for values in data.values() for t in values.get(path[0]) or []})
            targets = self.env[fld.comodel_name].browse(ids)
            if path[1:] == ["id"]:
                names[key] = ensure_xmlids(targets)
            else:
                names[key] = {t.id: t.display_name for t in targets}
        return names

    def _cell(self, model: BaseModel, path: list[str], values: dict, xmlids: dict,
              names_of: dict) -> Any:
        if path == ["id"]:
            return xmlids.get(values["id"], "")
        if path == [".id"]:
            return values["id"]
        fld = model._fields[path[0]]
        value = values.get(path[0])
        if fld.type in ("one2many", "many2many"):
            if path[1:] == [".id"]:
                return ",".join(str(i) for i in value or [])
            return ",".join(names_of["/".join(path)].get(i, "") for i in value or [])
        return self.value(model, fld, value)

    def value(self, model: BaseModel, fld: Any, value: Any) -> Any:
        """A read() value as export_data gives it."""
        if fld.type == "boolean":
            return bool(value)
        if value is False or value is None:
            return 0 if fld.type in ("integer", "float", "monetary") else ""
        if fld.type == "many2one":
            return value[1] if isinstance(value, (list, tuple)) else value
        if fld.type == "selection":
            return selection_label(self.env, fld, value)
        if fld.type == "datetime":
            return to_user_time(value, self.env.context.get("tz")).replace(tzinfo=None)
        if isinstance(value, bytes):
            return value.decode("ascii")
        return value


def ensure_xmlids(records: BaseModel) -> dict[int, str]:
    """{id: external id} of ``records``, made (``__export__.<table>_<id>_<random>``)
    for those without one, as Odoo's export does."""
    if not records:
        return {}
    data = records.env["ir.model.data"].sudo()
    found: dict[int, str] = {}
    for chunk in chunks(records.ids):
        for row in data.search_read([("model", "=", records._name), ("res_id", "in",
                                                                     list(chunk))],
                                    ["module", "name", "res_id"], order="id"):
            found.setdefault(row["res_id"], f"{row['module']}.{row['name']}")
    table = records._name.replace(".", "_")
    new = [{"module": EXPORT_MODULE, "name": f"{table}_{i}_{uuid.uuid4().hex[:8]}",
            "model": records._name, "res_id": i} for i in records.ids if i not in found]
    if new:
        data.create(new)
        found.update({v["res_id"]: f"{EXPORT_MODULE}.{v['name']}" for v in new})
    return found


class LoadMixin:
    """``load`` and ``export_data`` on every model (see the module's docstring)."""

    __slots__ = ()

    @api.model
    def load(self, fields: Sequence[str], data: Sequence[Sequence[Any]]) -> dict:
        """Import ``data`` (rows of text) into the ``fields`` paths: all or nothing."""
        if not isinstance(fields, (list, tuple)) or not all(isinstance(f, str) for f in fields):
            raise UserError("load(): fields must be a list of field paths")
        if not isinstance(data, (list, tuple)) or not all(isinstance(r, (list, tuple))
                                                          for r in data):
            raise UserError("load(): data must be a list of rows")
        return Loader(self, fields).run(data)

    def export_data(self, fields_to_export: Sequence[str]) -> dict:
        """``{"datas": rows}`` of these records for the field paths, as the user reads them."""
        paths = [split_path(f) for f in fields_to_export]
        exporter = Exporter(self.env)
        rows: list[list] = []
        for chunk in chunks(self.ids, 1000):
            per_record = exporter.rows(self.browse(chunk), paths)
            for record_id in chunk:
                rows.extend(per_record.get(record_id, []))
        return {"datas": rows}
