"""The view methods every model offers over RPC, in Odoo 17's shapes.

    env["res.partner"].get_views([[False, "list"], [False, "form"]])
    # {"views": {"list": {"arch": "<list>...", "id": 7, "model": "res.partner",
    #                     "type": "list"}, "form": {...}},
    #  "models": {"res.partner": {"name": {"type": "char", ...}, ...}}}
    env["res.partner"].get_view(view_type="form")
    # {"arch": "<form>...", "id": 8, "model": "res.partner", "type": "form",
    #  "models": {"res.partner": ["name", ...]}}
    env["res.partner"].fields_view_get(view_type="form")   # Odoo <= 15 shape

A mixin of ``BaseModel``; the work is done by ``core.views.get_view``
(as the environment's user). See docs/views.md.
"""

from __future__ import annotations

from typing import Any

from core import api
from core.views import postprocess
from core.views.view import View, get_view


class ViewMethodsMixin:
    __slots__ = ()

    @api.model
    def get_view(self, view_id: int | str | None = None, view_type: str = "form",
                 **options: Any) -> dict:
        """One view: ``{"arch", "id", "model", "type", "models"}`` where
        ``models`` maps each model the arch shows fields of (inline x2many
        views included) to those field names."""
        view = get_view(self.env, self._name, view_type, view_id or None)
        return {"arch": view.arch_string(), "id": view.id or False, "model": view.model,
                "type": view.type, "models": _models(view)}

    @api.model
    def get_views(self, views: list, options: dict | None = None) -> dict:
        """Several views and the descriptions of the fields they show:
        ``{"views": {type: {"arch", "id", "model", "type"}}, "models":
        {model: fields_get() of the fields the views show}}``; options
        ``toolbar`` (the actions bound to the model) and ``load_filters``
        (the user's saved filters, of ``action_id`` or of any action) add
        those keys to the views."""
        options = options or {}
        result: dict[str, dict] = {}
        wanted: dict[str, dict[str, None]] = {}
        for view_id, view_type in views:
            view = get_view(self.env, self._name, view_type, view_id or None)
            entry = {"arch": view.arch_string(), "id": view.id or False,
                     "model": view.model, "type": view.type}
            if options.get("toolbar"):
                entry["toolbar"] = self._view_toolbar(view.type)
            if options.get("load_filters") and view.type == "search":
                entry["filters"] = self._view_filters(options.get("action_id"))
            result[view_type] = entry
            for model, names in _models(view).items():
                wanted.setdefault(model, {}).update(dict.fromkeys(names))
        models = {model: self.env[model].fields_get(list(names))
                  for model, names in wanted.items()}
        return {"views": result, "models": models}

    @api.model
    def fields_view_get(self, view_id: int | str | None = None, view_type: str = "form",
                        toolbar: bool = False, submenu: bool = False) -> dict:
        """Odoo's former single-view call: arch, fields, model, name, type, view_id."""
        view = get_view(self.env, self._name, view_type, view_id or None)
        result = {"arch": view.arch_string(), "fields": view.fields, "model": view.model,
                  "name": _view_name(self.env, view), "type": view.type,
                  "view_id": view.id or False, "field_parent": False}
        if toolbar:
            result["toolbar"] = self._view_toolbar(view.type)
        return result

    def _view_filters(self, action_id: int | None) -> list[dict]:
        if "ir.filters" not in self.env:
            return []
        return self.env["ir.filters"].get_filters(self._name, action_id or None)

    def _view_toolbar(self, view_type: str) -> dict:
        """The window actions bound to this model for ``view_type``."""
        toolbar: dict[str, list] = {"action": [], "print": []}
        if "ir.actions.act_window" not in self.env or "ir.model" not in self.env:
            return toolbar
        model_id = self.env["ir.model"].sudo()._get_id(self._name)
        if not model_id:
            return toolbar
        actions = self.env["ir.actions.act_window"].search(
            [("binding_model_id", "=", model_id)])
        for action in actions:
            types = [t.strip() for t in (action.binding_view_types or "").split(",")]
            if view_type in types or (view_type == "list" and "tree" in types):
                key = "print" if action.binding_type == "report" else "action"
                toolbar[key].append({"id": action.id, "name": action.name,
                                     "type": action.type, "res_model": action.res_model})
        return toolbar


def _models(view: View) -> dict[str, list[str]]:
    """{model: field names} of a view and of its inline x2many views."""
    result: dict[str, list[str]] = {view.model: list(view.fields)}
    env = view.env
    stack = [(view.arch, view.model)]
    while stack:
        root, model = stack.pop()
        for element in postprocess.x2many_fields(env, root, model):
            comodel = postprocess.comodel_of(env, model, element.get("name"))
            for inline in postprocess.inline_subviews(element):
                names = postprocess.field_names(env, inline, comodel)
                known = result.setdefault(comodel, [])
                known.extend(name for name in names if name not in known)
                stack.append((inline, comodel))
    return result


def _view_name(env: Any, view: View) -> str:
    if view.id is None:
        return f"{view.model}.{view.type}.default"
    found = env["ir.ui.view"].sudo().browse(view.id)
    return found.name
