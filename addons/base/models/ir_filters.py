"""Saved searches ("favourites") of the web client, per user or shared.

    env["ir.filters"].create({"name": "German customers", "model_id": "res.partner",
                              "domain": "[('country_id.code', '=', 'DE')]",
                              "context": "{'group_by': ['city']}",
                              "sort": '["name desc"]', "is_default": True})
    env["ir.filters"].get_filters("res.partner", action_id=12)

``domain``, ``context`` and ``sort`` are text, as in Odoo; the web client
reads them with literal evaluators. A filter without ``user_id`` is
shared: every user sees it, only administrators change it (record rules
in security/base_security.xml). One default filter per user, model and
action: setting ``is_default`` clears it on the others.
"""

from __future__ import annotations

from core import api, fields, models
from core.exceptions import ValidationError


class IrFilters(models.Model):
    _name = "ir.filters"
    _description = "Filters"
    _order = "model_id, name, id desc"

    name = fields.Char("Filter Name", required=True, translate=True)
    user_id = fields.Many2one("res.users", "User", ondelete="cascade",
                              default=lambda self: self.env.uid,
                              help="The user this filter is private to; empty: shared")
    domain = fields.Text(required=True, default="[]")
    context = fields.Text(required=True, default="{}")
    sort = fields.Text(required=True, default="[]")
    model_id = fields.Char("Model", required=True, index=True)
    is_default = fields.Boolean("Default Filter")
    action_id = fields.Many2one("ir.actions.act_window", "Action", ondelete="cascade",
                                help="The action this filter belongs to; empty: every "
                                     "action of the model")
    active = fields.Boolean(default=True)

    @api.constrains("model_id")
    def _check_model(self) -> None:
        for record in self:
            if record.model_id not in self.env:
                raise ValidationError(f"Unknown model {record.model_id!r} for the filter "
                                      f"'{record.name}'.")

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records.filtered("is_default")._clear_other_defaults()
        return records

    def write(self, vals):
        result = super().write(vals)
        if vals.get("is_default"):
            self._clear_other_defaults()
        return result

    def _clear_other_defaults(self) -> None:
        for record in self:
            others = self.search([
                ("model_id", "=", record.model_id), ("user_id", "=", record.user_id.id),
                ("action_id", "=", record.action_id.id), ("is_default", "=", True),
                ("id", "!=", record.id)])
            if others:
                others.write({"is_default": False})

    @api.model
    def get_filters(self, model: str, action_id: int | None = None) -> list[dict]:
        """The filters the user sees for ``model`` (and this action, or any)."""
        return self.search_read(
            [("model_id", "=", model), ("action_id", "in", [action_id or False, False])],
            ["name", "is_default", "domain", "context", "sort", "user_id", "action_id"])
