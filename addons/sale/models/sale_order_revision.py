"""Revisions: a quotation changed after it was sent keeps its history.

    new = order.action_revise()            # a window action on the new revision
    revised = env["sale.order"].browse(new["res_id"])
    revised.name                           # 'S00012-01'; the next one 'S00012-02'
    revised.old_revision_ids               # the earlier versions, archived and cancelled
    order.current_revision_id              # revised

Revising copies the quotation (lines, terms, salespeople) into a new
draft numbered after the original, and retires the old one: cancelled
through the workflow (so the audit trail shows it), locked and archived.
The revisions of a quotation all point to the latest one.
"""

from __future__ import annotations

from core import api, fields, models
from core.exceptions import UserError
from core.i18n import _

REVISABLE_STATES = ("draft", "sent", "negotiation")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    revision_number = fields.Integer("Revision", default=0, copy=False, readonly=True)
    unrevisioned_name = fields.Char("Original Order Reference", copy=False, readonly=True)
    current_revision_id = fields.Many2one("sale.order", "Current Revision", copy=False,
                                          readonly=True, index=True)
    old_revision_ids = fields.One2many("sale.order", "current_revision_id", "Old Revisions",
                                       readonly=True, context={"active_test": False})
    revision_count = fields.Integer("Previous Revisions", compute="_compute_revision_count")

    @api.depends("old_revision_ids")
    def _compute_revision_count(self) -> None:
        for order in self:
            order.revision_count = len(order.with_context(active_test=False).old_revision_ids)

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        for order in orders.filtered(lambda o: not o.unrevisioned_name):
            order.sudo().unrevisioned_name = order.name
        return orders

    def action_revise(self) -> dict:
        """Make a new revision of each quotation; the action opens the last."""
        new_orders = self.browse()
        for order in self:
            new_orders |= order._revise()
        return {"type": "ir.actions.act_window", "res_model": "sale.order",
                "name": _(self.env, "New Revision"), "view_mode": "form",
                "res_id": new_orders[-1:].id, "target": "current"}

    def action_view_revisions(self) -> dict:
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "sale.order",
                "name": _(self.env, "Revisions of %s", self.unrevisioned_name or self.name),
                "view_mode": "list,form",
                "domain": [("id", "in", self.with_context(active_test=False)
                            .old_revision_ids.ids)],
                "context": {"active_test": False}}

    def _revise(self):
        self.ensure_one()
        if not self.active or self.state not in REVISABLE_STATES:
            raise UserError(_(self.env, "Only an open quotation can be revised (%s is not).",
                              self.name))
        base = self.unrevisioned_name or self.name
        number = self.revision_number + 1
        older = self.with_context(active_test=False).old_revision_ids
        new = self.copy({
            "name": f"{base}-{number:02d}", "unrevisioned_name": base,
            "revision_number": number, "date_order": fields.Datetime.now(),
            "client_order_ref": self.client_order_ref,
        })
        self.action_cancel(comment=_(self.env, "Replaced by the revision %s.", new.name))
        (older | self).sudo().write({"current_revision_id": new.id})
        self.sudo().write({"active": False, "locked": True})
        return new
