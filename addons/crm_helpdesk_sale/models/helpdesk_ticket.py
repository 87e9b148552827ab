"""Tickets about an order and a product (after-sales, complaints).

    ticket = env["helpdesk.ticket"].create({
        "name": "Cracked diffusers", "partner_id": mueller.id,
        "sale_order_id": order.id, "product_id": panel.id,
        "ticket_type_id": env.ref("crm_helpdesk.type_complaint").id})
    ticket.sale_order_id.complaint_count      # 1

The order must be one of the customer's (their company's); choosing an
order fills the customer when it is empty, and the product must be on the
order when both are given.
"""

from __future__ import annotations

from core import api, fields, models
from core.exceptions import ValidationError
from core.i18n import _


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    sale_order_id = fields.Many2one(
        "sale.order", "Sales Order", index=True, ondelete="set null", tracking=True,
        domain="[('partner_id', 'child_of', commercial_partner_id)]",
        help="The order the ticket is about")
    product_id = fields.Many2one("product.product", "Product", index=True,
                                 ondelete="set null", tracking=True)

    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self) -> None:
        if self.sale_order_id and not self.partner_id:
            self.partner_id = self.sale_order_id.partner_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("sale_order_id") and not vals.get("partner_id"):
                order = self.env["sale.order"].browse(vals["sale_order_id"])
                vals["partner_id"] = order.partner_id.id
        return super().create(vals_list)

    @api.constrains("sale_order_id", "product_id", "partner_id")
    def _check_sale_order(self) -> None:
        for ticket in self.sudo():
            order = ticket.sale_order_id
            if not order:
                continue
            customer = ticket.partner_id.commercial_partner_id
            if customer and order.partner_id.commercial_partner_id != customer:
                raise ValidationError(_(self.env, "Order %(order)s belongs to another "
                                        "customer.", order=order.name))
            if ticket.product_id and ticket.product_id not in \
                    order.order_line.mapped("product_id"):
                raise ValidationError(_(self.env, "%(product)s is not on order %(order)s.",
                                        product=ticket.product_id.display_name,
                                        order=order.name))
