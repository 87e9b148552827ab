"""Several salespeople on one order, each with a share of it (long export deals).

    order.salesperson_ids = [Command.create({"user_id": alice.id, "share": 60}),
                             Command.create({"user_id": bob.id, "share": 40})]
    order.salesperson_ids.mapped("amount_company")     # each one's part of the revenue

The shares of an order add up to 100 %; an order without any belongs to
its salesperson (``user_id``) alone.
"""

from __future__ import annotations

from core import api, fields, models
from core.exceptions import ValidationError
from core.i18n import _


class SaleOrderSalesperson(models.Model):
    _name = "sale.order.salesperson"
    _description = "Salesperson's Share of an Order"
    _order = "order_id, share desc, id"

    order_id = fields.Many2one("sale.order", "Order", required=True, ondelete="cascade",
                               index=True)
    user_id = fields.Many2one("res.users", "Salesperson", required=True, index=True)
    share = fields.Float("Share (%)", digits=(5, 2), default=100.0, required=True)
    company_currency_id = fields.Many2one("res.currency",
                                          related="order_id.company_id.currency_id")
    amount_company = fields.Monetary("Untaxed Share (company currency)",
                                     currency_field="company_currency_id",
                                     compute="_compute_amount_company", store=True)

    _sql_constraints = [
        ("user_uniq", "unique(order_id, user_id)", "A salesperson is listed once per order."),
        ("share_range", "check(share > 0 and share <= 100)",
         "A share lies between 0 (excluded) and 100 %."),
    ]

    @api.depends("share", "order_id.amount_untaxed_company")
    def _compute_amount_company(self) -> None:
        for line in self:
            amount = line.order_id.amount_untaxed_company * line.share / 100.0
            currency = line.company_currency_id
            line.amount_company = currency.round(amount) if currency else amount

    @api.constrains("share", "order_id")
    def _check_total(self) -> None:
        self.mapped("order_id")._check_salesperson_shares()


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.constrains("salesperson_ids")
    def _check_salesperson_shares_constraint(self) -> None:
        self._check_salesperson_shares()

    def _check_salesperson_shares(self) -> None:
        for order in self:
            shares = order.salesperson_ids.mapped("share")
            if shares and abs(sum(shares) - 100.0) > 0.005:
                raise ValidationError(_(
                    self.env, "The shares of the salespeople of %(order)s add up to "
                    "%(total)s %%, not 100 %%.", order=order.name,
                    total=f"{sum(shares):g}"))
