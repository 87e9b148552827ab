"""What forms need from a model: draft records, onchange and field descriptions.

    draft = env["sale.order"].new({"partner_id": 7})      # lives in the cache only
    env["sale.order"].onchange({"partner_id": 7}, "partner_id")
    # {"value": {"pricelist_id": (1, "Public"), ...}, "warning": None}
    env["sale.order"].fields_get(["state"], ["type", "selection"])

A mixin of ``BaseModel``; see docs/orm.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.i18n.translate import translate_fields_get
from core.orm.fields import NewId
from core.security import access

if TYPE_CHECKING:
    from core.orm.models import BaseModel


class FormsMixin:
    __slots__ = ()

    def new(self, values: dict | None = None, origin: BaseModel | None = None) -> BaseModel:
        """A record that lives only in the cache, for a form being edited."""
        values = dict(values or {})
        defaults = self.default_get([n for n in self._fields if n not in values])
        defaults.update(values)
        record = self.browse((NewId(),))
        cache = self.env.cache
        id_ = record._ids[0]
        for name, field in self._fields.items():
            if name == "id":
                continue
            if name in defaults:
                cache[field][id_] = field.convert_to_cache(defaults[name], record)
            elif not field.compute:
                cache[field][id_] = () if field.type in ("one2many", "many2many") else None
        return record

    def onchange(self, values: dict, field_names: str | Sequence[str]) -> dict:
        """Apply ``values`` as the form does and report what changes with them.

        Returns ``{"value": {field: new value}, "warning": {...} or None}``;
        values are in read() form (many2one as ``(id, name)``).
        """
        if isinstance(field_names, str):
            field_names = [field_names]
        record = self.new(values)
        id_ = record._ids[0]
        before = {name: record.env.cache[field].get(id_)
                  for name, field in self._fields.items() if name != "id"}
        warnings = []
        todo = list(field_names)
        seen: set = set()
        while todo:
            name = todo.pop(0)
            if name in seen:
                continue
            seen.add(name)
            for method in self._onchange_methods.get(name, ()):
                snapshot = {n: record.env.cache[f].get(id_) for n, f in self._fields.items()}
                result = getattr(record, method)()
                if isinstance(result, dict) and result.get("warning"):
                    warnings.append(result["warning"])
                for other, field in self._fields.items():
                    if record.env.cache[field].get(id_) != snapshot.get(other):
                        todo.append(other)
        # recompute every computed field of the draft record
        for field in self._fields.values():
            if field.compute and field.name != "id":
                record.env.cache[field].pop(id_, None)
        changed = {}
        for name, field in self._fields.items():
            if name == "id":
                continue
            if field.compute:
                record[name]  # noqa: B018 - computes it
            now = record.env.cache[field].get(id_)
            if field.compute or now != before.get(name):
                if field.type == "many2one":
                    changed[name] = (now, record[name].display_name) if now else False
                else:
                    changed[name] = field.convert_to_read(now, record)
        warning = None
        if warnings:
            warning = {"title": warnings[0].get("title", ""),
                       "message": "\n\n".join(w.get("message", "") for w in warnings)}
        return {"value": changed, "warning": warning}

    # ------------------------------------------------------------------
    # description
    # ------------------------------------------------------------------
    def fields_get(self, allfields: Sequence[str] | None = None,
                   attributes: Sequence[str] | None = None) -> dict:
        result = {}
        enabled = access.enabled(self.env)
        for name, field in self._fields.items():
            if allfields and name not in allfields:
                continue
            if enabled and not access.field_allowed(self, field):
                continue
            desc = {
                "type": field.type, "string": field.string, "help": field.help or "",
                "required": field.required, "readonly": field.readonly,
                "store": field.store, "sortable": field.column_backed or name == "id",
                "searchable": field.store or bool(field.search_method or field.related)
                or name in ("id", "display_name"),
                "translate": field.translate, "name": name,
                "groupable": field.column_backed and field.type not in ("text", "html",
                                                                        "binary", "json"),
            }
            if field.related:
                desc["related"] = field.related
            if field.type == "selection":
                desc["selection"] = [list(p) for p in field.get_values(self.env)]
            if field.type in ("many2one", "one2many", "many2many"):
                desc["relation"] = field.comodel_name
                desc["domain"] = field.domain if not callable(field.domain) else []
                desc["context"] = field.context
            if field.type == "one2many":
                desc["relation_field"] = field.inverse_name
            if field.type in ("float", "monetary") and getattr(field, "digits", None):
                desc["digits"] = list(field.digits) if isinstance(field.digits, tuple) \
                    else field.digits
            if field.type == "monetary":
                desc["currency_field"] = field.currency_field
            if field.type == "char" and getattr(field, "size", None):
                desc["size"] = field.size
            if attributes:
                desc = {key: value for key, value in desc.items() if key in attributes}
            result[name] = desc
        # labels, help texts and selection labels in the language of the context
        translate_fields_get(self, result)
        return result
