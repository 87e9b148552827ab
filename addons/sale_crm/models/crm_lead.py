"""Deals and their quotations: the quotation made from the deal, the deal's
amount following its quotations, its orders' counts.

    order = lead.action_new_quotation()      # draft quotation, customer created if needed
    lead.quotation_count, lead.sale_order_count, lead.sale_amount_total
    lead.expected_revenue                     # the untaxed total of its confirmed orders,
                                              # else of its open quotations (its currency)

Decision: while a deal has no quotation its expected revenue is what the
salesperson typed; once it has quotations, it is their untaxed total (every
open quotation: alternatives should be cancelled, old revisions are archived
by sale), and once an order is confirmed, the confirmed orders' total. The
amount is converted into the deal's currency at the order date's rate.
"""

from __future__ import annotations

from typing import Any

from core import api, fields, models
from core.i18n import _

OPEN_STATES = ("draft", "sent", "negotiation")


class CrmLead(models.Model):
    _inherit = "crm.lead"

    order_ids = fields.One2many("sale.order", "opportunity_id", "Orders")
    quotation_count = fields.Integer("Number of Quotations", compute="_compute_sale_data")
    sale_order_count = fields.Integer("Number of Sale Orders", compute="_compute_sale_data")
    sale_amount_total = fields.Monetary("Sum of Orders", currency_field="company_currency",
                                        compute="_compute_sale_data",
                                        help="Untaxed total of the confirmed orders, in the "
                                             "company currency")
    expected_revenue = fields.Monetary(compute="_compute_expected_revenue", store=True,
                                       readonly=False)

    @api.depends("order_ids.state", "order_ids.amount_untaxed_company")
    def _compute_sale_data(self) -> None:
        for lead in self:
            orders = lead.order_ids
            confirmed = orders.filtered(lambda order: order.state == "sale")
            lead.quotation_count = len(orders.filtered(lambda o: o.state in OPEN_STATES))
            lead.sale_order_count = len(confirmed)
            lead.sale_amount_total = sum(confirmed.mapped("amount_untaxed_company"))

    @api.depends("order_ids.state", "order_ids.amount_untaxed", "order_ids.currency_id",
                 "order_ids.active")
    def _compute_expected_revenue(self) -> None:
        for lead in self:
            orders = lead.order_ids.filtered(lambda order: order.state != "cancel")
            source = orders.filtered(lambda order: order.state == "sale") or orders
            if not source:
                lead.expected_revenue = lead.expected_revenue    # typed by hand
                continue
            target = lead.currency_id or lead.company_currency
            lead.expected_revenue = sum(_converted(order, target) for order in source)

    def action_new_quotation(self) -> dict:
        """A draft quotation for the deal's customer (created from the lead when it
        has none yet), its salesperson and team; opens it."""
        self.ensure_one()
        if not self.partner_id:
            self._handle_partner_assignment(create_missing=True)
        values = {"partner_id": self.partner_id.commercial_partner_id.id or
                  self.partner_id.id, "opportunity_id": self.id,
                  "user_id": self.user_id.id, "origin": self.name,
                  "company_id": self.company_id.id or self.env.company.id}
        if self.team_id:
            values["team_id"] = self.team_id.id
        order = self.env["sale.order"].create(values)
        return {"type": "ir.actions.act_window", "name": _(self.env, "Quotation"),
                "res_model": "sale.order", "res_id": order.id, "view_mode": "form"}

    def action_view_sale_quotation(self) -> dict:
        return self._orders_action("sale.action_quotations_with_onboarding",
                                   _(self.env, "Quotations"),
                                   [("state", "in", list(OPEN_STATES))])

    def action_view_sale_order(self) -> dict:
        return self._orders_action("sale.action_orders", _(self.env, "Sales Orders"),
                                   [("state", "=", "sale")])

    @api.model
    def _demo_generate_quotations(self, seed: int = 42) -> int:
        """The demo data's quotations (sale_crm/demo/sale_crm_demo.xml); returns
        how many."""
        from addons.sale_crm.tools.demo import generate_quotations

        return len(generate_quotations(self.env, seed))

    def _orders_action(self, xmlid: str, name: str, domain: list) -> dict:
        self.ensure_one()
        action = self.env.ref(xmlid, raise_if_not_found=False)
        result = {"type": "ir.actions.act_window", "name": name, "res_model": "sale.order",
                  "view_mode": "list,form",
                  "domain": [("opportunity_id", "=", self.id)] + domain}
        if action:
            result["id"] = action.id
        return result


def _converted(order: Any, target: Any) -> float:
    source = order.currency_id or target
    if source == target:
        return order.amount_untaxed
    day = order.date_order.date() if order.date_order else fields.Date.today()
    return source._convert(order.amount_untaxed, target, order.company_id, day)
