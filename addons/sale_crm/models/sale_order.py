"""Orders know the opportunity they come from; confirming one wins it.

    order = lead.action_new_quotation()       # a draft quotation of the deal's customer
    order.opportunity_id                      # the deal
    order.action_confirm()                    # the deal is won (crm.lead.action_set_won)
"""

from __future__ import annotations

from core import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    opportunity_id = fields.Many2one("crm.lead", "Opportunity", index=True,
                                     ondelete="set null", check_company=True,
                                     domain="[('type', '=', 'opportunity')]",
                                     help="The deal this quotation answers")

    def _on_confirmed(self) -> None:
        """Entering 'sale' wins the deal. As superuser: the order's confirmation,
        which the workflow allowed, decides; the salesperson confirming may not
        be the deal's."""
        super()._on_confirmed()
        deals = self.mapped("opportunity_id").filtered(
            lambda lead: lead.active and lead.won_status == "pending")
        if deals:
            deals.sudo().action_set_won()
