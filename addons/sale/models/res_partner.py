"""A customer's quotations and orders."""

from __future__ import annotations

from core import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    sale_order_ids = fields.One2many("sale.order", "partner_id", "Sales Order")
    sale_order_count = fields.Integer("Sale Order Count", compute="_compute_sale_order_count")

    @api.depends("sale_order_ids")
    def _compute_sale_order_count(self) -> None:
        Order = self.env["sale.order"]  # noqa: N806
        for partner in self:
            partner.sale_order_count = Order.search_count(
                [("partner_id", "child_of", partner.commercial_partner_id.id)]) \
                if partner.id else 0
