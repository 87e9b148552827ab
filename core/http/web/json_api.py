"""The JSON endpoints of the page scripts: name search, onchange, inline list edits.

    POST /web/json/name_search {"model": "res.partner", "field": "country_id",
                                "name": "bel", "limit": 8}
         -> {"results": [{"id": 21, "name": "Belgium"}]}
    POST /web/json/onchange    {"action_id": 12, "model": "res.partner", "id": 7,
                                "values": {"name": "...", "country_id": "21"},
                                "changed": "country_id"}
         -> {"value": {"state_id": {"input": "", "id": "", "text": ""}}, "warning": null}
    POST /web/json/save_row    {"action_id": 12, "model": "res.partner", "id": 7,
                                "values": {"name": "New name"}}
         -> {"id": 7, "cells": {"name": "New name"}, "values": {...}}

Each request carries the session's CSRF token in the ``X-CSRF-Token``
header, has the type ``application/json``, and runs as the user. Errors
come back as ``{"error": {"message", "type", "fields"}}`` with a 4xx
status (see controller.py).
"""

from __future__ import annotations

from typing import Any

from core.http.web.actions import ListState, load_action, model_action
from core.http.web.controller import JsonError, Page
from core.http.web.formats import FormatContext, display, input_value
from core.http.web.formview import FormRenderer
from core.http.web.i18n import _
from core.http.web.inputs import parse_text
from core.http.web.renderers import ActionPage

JSON_ROUTES: list[tuple[str, str]] = [
    ("/web/json/name_search", "name_search"),
    ("/web/json/onchange", "onchange"),
    ("/web/json/save_row", "save_row"),
]
MAX_RESULTS = 20


def _str(payload: dict, key: str, required: bool = True) -> str:
    value = payload.get(key)
    if not isinstance(value, str) or (required and not value):
        raise JsonError(_("%(key)s must be a text.", key=key))
    return value


def _action(page: Page, payload: dict) -> ActionPage:
    action_id = payload.get("action_id")
    if isinstance(action_id, int) and not isinstance(action_id, bool) and action_id:
        spec = load_action(page.env, action_id)
        if spec.model != payload.get("model", spec.model):
            raise JsonError(_("The model does not match the action."))
    else:
        spec = model_action(page.env, _str(payload, "model"))
    return ActionPage(page, spec, ListState())


def _record_id(payload: dict) -> int | None:
    value = payload.get("id")
    if value in (None, False, "", 0):
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise JsonError(_("id must be a number."))
    return value


class JsonApi:
    def __init__(self, client: Any):
        self.client = client

    def name_search(self, page: Page, payload: dict) -> dict:
        model = _str(payload, "model")
        field_name = _str(payload, "field")
        if model not in page.env:
            raise JsonError(_("Unknown model"), 404)
        desc = page.env[model].fields_get([field_name]).get(field_name)
        if desc is None or desc["type"] not in ("many2one", "many2many", "one2many"):
            raise JsonError(_("%(field)s is not a relation.", field=field_name), 404)
        limit = payload.get("limit") if isinstance(payload.get("limit"), int) else 8
        domain = desc.get("domain") if isinstance(desc.get("domain"), list) else []
        exclude = [i for i in payload.get("exclude") or [] if isinstance(i, int)]
        if exclude:
            domain = [*domain, ("id", "not in", exclude)]
        results = page.env[desc["relation"]].name_search(
            _str(payload, "name", required=False), domain,
            limit=max(1, min(limit, MAX_RESULTS)))
        return {"results": [{"id": rid, "name": name} for rid, name in results]}

    def onchange(self, page: Page, payload: dict) -> dict:
        action = _action(page, payload)
        form = FormRenderer(action, _record_id(payload))
        changed = _str(payload, "changed")
        if changed not in form.onchange_fields or changed not in form.fields:
            return {"value": {}, "warning": None}
        values = self._form_values(form, payload.get("values"))
        result = action.model.onchange(values, changed)
        return {"value": self._shown(form, result.get("value") or {}),
                "warning": result.get("warning")}

    def _form_values(self, form: FormRenderer, posted: Any) -> dict:
        """The form's values in write() form: the record's, then the posted ones."""
        if not isinstance(posted, dict):
            raise JsonError(_("values must be an object."))
        current = form.load_values()
        values: dict[str, Any] = {}
        for name, desc in form.fields.items():
            kind = desc["type"]
            if kind in ("one2many", "binary") or name not in current:
                continue
            value = current[name]
            if kind == "many2one":
                value = value[0] if value else False
            elif kind == "many2many":
                value = [(6, 0, value or [])]
            if name in posted and kind not in ("many2many",):
                parsed = parse_text(form.action.env, desc, _text(posted[name]), form.fmt)
                if parsed.error is None:
                    value = parsed.value
            elif name in posted and isinstance(posted[name], list):
                value = [(6, 0, [i for i in posted[name] if isinstance(i, int)])]
            values[name] = value
        return values

    def _shown(self, form: FormRenderer, changed: dict) -> dict:
        fmt = FormatContext.of(form.action.env)
        shown = {}
        for name, value in changed.items():
            desc = form.fields.get(name)
            if desc is None or desc["type"] in ("one2many", "binary"):
                continue
            item = {"text": display(desc, value, fmt), "input": input_value(desc, value, fmt)}
            if desc["type"] == "many2one":
                item["id"] = value[0] if isinstance(value, (list, tuple)) and value else ""
            elif desc["type"] == "boolean":
                item["checked"] = bool(value)
            elif desc["type"] == "selection":
                item["input"] = value or ""
            elif desc["type"] == "many2many":
                ids = list(value or [])
                records = form.action.env[desc["relation"]].browse(ids)
                item["tags"] = [{"id": r.id, "name": r.display_name} for r in records]
            shown[name] = item
        return shown

    def save_row(self, page: Page, payload: dict) -> dict:
        from core.http.web.listview import ListRenderer

        action = _action(page, payload)
        renderer = ListRenderer(action)
        if not renderer.arch.get("editable"):
            raise JsonError(_("This list is not editable."), 403)
        posted = payload.get("values")
        if not isinstance(posted, dict):
            raise JsonError(_("values must be an object."))
        vals, errors = {}, {}
        fmt = renderer.fmt
        for column in renderer.columns:
            if column.name not in posted or not column.meta()["editable"]:
                continue
            parsed = parse_text(page.env, column.desc, _text(posted[column.name]), fmt,
                                _text(posted.get(f"{column.name}__display"))
                                if column.type == "many2one" and
                                f"{column.name}__display" in posted else None)
            if parsed.error:
                errors[column.name] = parsed.error
            else:
                vals[column.name] = parsed.value
        if errors:
            raise JsonError(_("Some fields are invalid."), 422, "validation", errors)
        record_id = _record_id(payload)
        with page.env.transaction.atomic(savepoint=True):
            if record_id:
                record = action.model.browse(record_id).exists()
                if not record:
                    raise JsonError(_("This record does not exist (any more)."), 404)
                record.write(vals)
            else:
                record = action.model.create(vals)
        row = renderer.rows(record)[0]
        return {"id": record.id, "values": row.values,
                "cells": {cell["name"]: {"text": cell["text"], "tags": cell["tags"],
                                         "checked": cell.get("checked")}
                          for cell in row.cells},
                "classes": row.classes}


def _text(value: Any) -> str:
    if value is None or value is False:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)

