"""One2many fields edited inside their parent's form, saved with x2many commands.

    columns = line_columns(env, desc, subview)          # the inline <list>'s fields
    lines = read_lines(env, desc, columns, [4, 5], fmt)   # rows the form shows
    commands, typed, errors = parse_lines(env, desc, columns, form, "line_ids", fmt)
    # [(1, 4, {"qty": 3}), (2, 5), (0, 0, {"name": "new"})]

Each line posts ``<field>.<n>.id`` (empty for a new line), one input per
editable column (``<field>.<n>.<column>``) and ``<field>.<n>.__delete``
when removed; ``<field>__present`` says the list was on the form. The
commands go into the same ``write`` as the parent's own values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from werkzeug.datastructures import MultiDict

from core.http.web.conditions import compile_condition
from core.http.web.formats import FormatContext, display, input_value
from core.http.web.i18n import _
from core.http.web.inputs import PRESENT, is_empty, parse_text, unchanged
from core.orm.environment import Environment

EDITABLE = ("char", "text", "integer", "float", "monetary", "date", "datetime", "selection",
            "boolean", "many2one")


@dataclass
class LineColumn:
    name: str
    string: str
    desc: dict
    widget: str | None
    editable: bool
    required: bool

    @property
    def type(self) -> str:
        return self.desc["type"]


def line_columns(env: Environment, desc: dict, subview: Any) -> list[LineColumn]:
    """The columns of an x2many's lines: its inline (or default) list view."""
    comodel = env[desc["relation"]]
    inverse = desc.get("relation_field")
    if subview is not None:
        fields, nodes = subview.fields, list(subview.arch.iterchildren("field"))
    else:
        fields = comodel.fields_get()
        name = comodel._rec_name if comodel._rec_name in fields else "display_name"
        nodes = [_Element(name)]
    columns = []
    for node in nodes:
        name = node.get("name")
        fdesc = fields.get(name)
        if fdesc is None or name == inverse:
            continue
        hidden = compile_condition(node.get("column_invisible"))
        if hidden is not None and hidden.evaluate({}):
            continue
        readonly = node.get("readonly") in ("1", "True") or bool(fdesc.get("readonly"))
        columns.append(LineColumn(
            name=name, string=node.get("string") or fdesc.get("string") or name,
            desc=fdesc, widget=node.get("widget"),
            editable=fdesc["type"] in EDITABLE and not readonly,
            required=node.get("required") in ("1", "True") or bool(fdesc.get("required"))))
    return columns


class _Element:
    """A stand-in <field name=...> for a relation without an inline list."""

    def __init__(self, name: str):
        self.name = name

    def get(self, attr: str) -> str | None:
        return self.name if attr == "name" else None


def read_lines(env: Environment, desc: dict, columns: list[LineColumn], ids: list[int],
               fmt: FormatContext) -> list[dict]:
    """The lines ``ids`` as the form shows them (one read)."""
    if not ids:
        return []
    comodel = env[desc["relation"]]
    rows = comodel.browse(ids).read([c.name for c in columns])
    return [line_view(row["id"], row, columns, fmt) for row in rows]


def line_view(line_id: int | None, values: dict, columns: list[LineColumn],
              fmt: FormatContext, raw: dict | None = None, errors: dict | None = None
              ) -> dict:
    cells = {}
    for column in columns:
        value = values.get(column.name, False)
        cells[column.name] = {
            "value": value, "text": display(column.desc, value, fmt, values),
            "input": (raw or {}).get(column.name, input_value(column.desc, value, fmt)),
            "id": value[0] if isinstance(value, (list, tuple)) and value else "",
            "error": (errors or {}).get(column.name)}
    return {"id": line_id, "cells": cells, "values": values}


def parse_lines(env: Environment, desc: dict, columns: list[LineColumn], form: MultiDict,
                name: str, fmt: FormatContext, current_ids: set[int]
                ) -> tuple[list, list[dict], dict]:
    """(commands, lines as typed, {line index: message}) of a posted one2many;
    only lines among ``current_ids`` (the record's own) can be changed or removed."""
    if not form.get(f"{name}{PRESENT}"):
        return [], [], {}
    indexes = sorted({int(key.split(".")[1]) for key in form
                      if key.startswith(f"{name}.") and key.count(".") == 2
                      and key.split(".")[1].isdigit()})
    existing = _existing(env, desc, columns, form, name, indexes, current_ids)
    commands, typed, errors = [], [], {}
    for index in indexes:
        prefix = f"{name}.{index}."
        line_id = form.get(prefix + "id", "")
        line_id = int(line_id) if line_id.isdigit() else None
        if line_id is not None and line_id not in current_ids:
            continue
        if form.get(prefix + "__delete"):
            if line_id:
                commands.append((2, line_id))
            continue
        vals, shown, raw, line_errors = {}, {}, {}, {}
        for column in columns:
            if not column.editable or prefix + column.name not in form:
                continue
            values = form.getlist(prefix + column.name)
            parsed = parse_text(env, column.desc, values[-1] if values else "", fmt,
                                form.get(prefix + column.name + "__display")
                                if column.type == "many2one" else None)
            if parsed.error:
                line_errors[column.name] = parsed.error
                raw[column.name] = parsed.raw
                continue
            if column.required and is_empty(parsed.value, column.type):
                line_errors[column.name] = _("Required")
            vals[column.name] = parsed.value
            shown[column.name] = parsed.shown
        if not line_id and not any(not is_empty(v, c.type) for c in columns
                                   for k, v in vals.items() if k == c.name):
            continue        # an empty new line: ignored, as Odoo does
        if line_errors:
            errors[len(typed)] = line_errors
        typed.append(line_view(line_id, {**existing.get(line_id, {}), **shown}, columns, fmt,
                               raw, line_errors))
        if line_id:         # only what changed: rewriting a product resets its price
            kinds = {column.name: column.type for column in columns}
            stored = existing.get(line_id, {})
            vals = {key: value for key, value in vals.items()
                    if key not in stored or not unchanged(value, stored[key], kinds[key])}
            if vals:
                commands.append((1, line_id, vals))
        else:
            commands.append((0, 0, vals))
    return commands, typed, errors


def _existing(env: Environment, desc: dict, columns: list[LineColumn], form: MultiDict,
              name: str, indexes: list[int], current_ids: set[int]) -> dict[int, dict]:
    """The stored values of the posted existing lines, in one read."""
    ids = [int(form.get(f"{name}.{i}.id")) for i in indexes
           if (form.get(f"{name}.{i}.id") or "").isdigit()
           and int(form.get(f"{name}.{i}.id")) in current_ids]
    if not ids:
        return {}
    records = env[desc["relation"]].browse(ids).exists()
    return {row["id"]: row for row in records.read([c.name for c in columns])}
