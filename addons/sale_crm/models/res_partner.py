"""The customer 360 with Sales: revenue counts confirmed orders; the partner form
gets a Sales smart button.

    acme.total_revenue    # confirmed orders (company currency) + won deals without order
"""

from __future__ import annotations

from collections import defaultdict

from core import models
from core.i18n import _


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _compute_crm_figures(self) -> None:
        """Won deals that have no confirmed order, plus every confirmed order (a
        deal won by an order is worth that order: it is not counted twice)."""
        super()._compute_crm_figures()
        commercial = {p.id: p.commercial_partner_id.id or p.id for p in self}
        ids = sorted(i for i in set(commercial.values()) if isinstance(i, int))
        if not ids:
            return
        deals = defaultdict(float)
        for group in self.env["crm.lead"].read_group(
                [("commercial_partner_id", "in", ids), ("won_status", "=", "won"),
                 ("order_ids.state", "!=", "sale")],
                ["company_expected_revenue:sum"], ["commercial_partner_id", "company_id"],
                lazy=False):
            deals[group["commercial_partner_id"][0]] += self._in_company_currency(
                group["company_expected_revenue"], group["company_id"])
        orders = defaultdict(float)
        partners = self.with_context(active_test=False).search(
            [("commercial_partner_id", "in", ids)])
        owner = {p.id: p.commercial_partner_id.id for p in partners}
        for group in self.env["sale.order"].read_group(
                [("partner_id", "in", partners.ids), ("state", "=", "sale")],
                ["amount_untaxed_company:sum"], ["partner_id", "company_id"], lazy=False):
            key = owner.get(group["partner_id"][0])
            orders[key] += self._in_company_currency(group["amount_untaxed_company"],
                                                     group["company_id"])
        for partner in self:
            key = commercial[partner.id]
            partner.total_revenue = deals.get(key, 0.0) + orders.get(key, 0.0)

    def action_view_sale_order(self) -> dict:
        """The quotations and orders of the customer and its contacts."""
        self.ensure_one()
        partner = self.commercial_partner_id or self
        return {"type": "ir.actions.act_window", "res_model": "sale.order",
                "name": _(self.env, "Sales of %s", partner.display_name),
                "view_mode": "list,form", "domain": [("partner_id", "child_of", partner.id)]}
