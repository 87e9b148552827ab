"""Quotations and sales orders, in the customer's currency, with export terms.

    order = env["sale.order"].create({
        "partner_id": mueller.id,                     # price list, terms, fiscal position
        "incoterm": env.ref("account_base.incoterm_FOB").id,   # follow from the customer
        "incoterm_location": "Keelung", "port_of_loading": "Keelung",
        "port_of_destination": "Hamburg",
        "order_line": [Command.create({"product_id": panel.id, "product_uom_qty": 600})],
    })
    order.amount_total, order.currency_id.name     # in the price list's currency
    order.amount_total_company                     # converted at the order date's rate
    order.action_confirm()                         # a workflow trigger (sale_order_workflow.xml)

Totals are computed in ``Decimal`` by account_base's tax arithmetic:
rounded per line, or exactly and rounded once per tax when the company
rounds globally. The order's currency follows its price list unless it is
chosen; ``currency_rate`` (units of the order currency per unit of the
company currency) is fixed at the order date, and the amounts in company
currency used by the sales analysis are divided by it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from addons.account_base.tools import document_totals
from core import api, fields, models
from core.exceptions import AccessError, UserError
from core.i18n import _

#: order fields that stay writable once the order is locked
LOCKED_WRITABLE = frozenset({
    "note", "client_order_ref", "locked", "active", "current_revision_id", "signed_by",
    "signed_on", "access_token", "access_token_used", "message_follower_ids",
    "activity_ids", "message_ids", "port_of_destination", "port_of_loading"})

#: computed order fields whose value, when given on create, is kept
GIVEN_KEPT = ("partner_invoice_id", "partner_shipping_id", "user_id", "team_id",
              "validity_date", "pricelist_id", "currency_id", "payment_term_id",
              "fiscal_position_id")


class SaleOrder(models.Model):
    _name = "sale.order"
    _description = "Sales Order"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_order desc, id desc"

    name = fields.Char("Order Reference", required=True, copy=False, index=True,
                       default="New", readonly=True)
    active = fields.Boolean(default=True, help="Old revisions of a quotation are archived")
    company_id = fields.Many2one("res.company", "Company", required=True, index=True,
                                 default=lambda self: self.env.company)
    partner_id = fields.Many2one("res.partner", "Customer", required=True, index=True,
                                 tracking=1)
    partner_invoice_id = fields.Many2one("res.partner", "Invoice Address",
                                         compute="_compute_partner_addresses", store=True,
                                         readonly=False)
    partner_shipping_id = fields.Many2one("res.partner", "Delivery Address",
                                          compute="_compute_partner_addresses", store=True,
                                          readonly=False)
    country_id = fields.Many2one("res.country", "Customer Country",
                                 related="partner_id.country_id", store=True)
    user_id = fields.Many2one("res.users", "Salesperson", index=True, tracking=2,
                              compute="_compute_user_id", store=True, readonly=False)
    team_id = fields.Many2one("crm.team", "Sales Team", index=True,
                              compute="_compute_team_id", store=True, readonly=False)
    salesperson_ids = fields.One2many("sale.order.salesperson", "order_id", "Salespeople",
                                      copy=True,
                                      help="Several salespeople sharing the order, with "
                                           "their shares (adding up to 100 %)")
    date_order = fields.Datetime("Order Date", required=True, index=True, copy=False,
                                 default=lambda self: fields.Datetime.now())
    validity_date = fields.Date("Expiration", compute="_compute_validity_date", store=True,
                                readonly=False, copy=False)
    pricelist_id = fields.Many2one("product.pricelist", "Pricelist",
                                   compute="_compute_pricelist_id", store=True,
                                   readonly=False, tracking=3)
    currency_id = fields.Many2one("res.currency", "Currency", compute="_compute_currency_id",
                                  store=True, readonly=False)
    currency_rate = fields.Float("Currency Rate",
                                 compute="_compute_currency_rate", store=True,
                                 help="Units of the order currency per unit of the company "
                                      "currency, at the order date")
    company_currency_id = fields.Many2one("res.currency", related="company_id.currency_id",
                                          string="Company Currency")
    payment_term_id = fields.Many2one("account.payment.term", "Payment Terms",
                                      compute="_compute_payment_term_id", store=True,
                                      readonly=False)
    fiscal_position_id = fields.Many2one("account.fiscal.position", "Fiscal Position",
                                         compute="_compute_fiscal_position_id", store=True,
                                         readonly=False)
    incoterm = fields.Many2one("account.incoterms", "Incoterm",
                               default=lambda self: self.env.company.incoterm_id)
    incoterm_location = fields.Char("Incoterm Location",
                                    help="The named place: FOB Keelung, CIF Hamburg")
    port_of_loading = fields.Char("Port of Loading")
    port_of_destination = fields.Char("Port of Destination")
    order_line = fields.One2many("sale.order.line", "order_id", "Order Lines", copy=True)
    note = fields.Html("Terms and conditions",
                       default=lambda self: self.env.company.sale_note or False)
    client_order_ref = fields.Char("Customer Reference", copy=False)
    origin = fields.Char("Source Document")
    state = fields.Selection([("draft", "Quotation"), ("sent", "Quotation Sent"),
                              ("negotiation", "Negotiation"), ("sale", "Sales Order"),
                              ("cancel", "Cancelled")], "Status", default="draft",
                             readonly=True, copy=False, index=True, tracking=4)
    locked = fields.Boolean(default=False, copy=False,
                            help="A locked order can no longer be changed")
    # totals
    amount_untaxed = fields.Monetary("Untaxed Amount", compute="_compute_amounts", store=True,
                                     tracking=5)
    amount_tax = fields.Monetary("Taxes", compute="_compute_amounts", store=True)
    amount_total = fields.Monetary("Total", compute="_compute_amounts", store=True, tracking=6)
    amount_untaxed_company = fields.Monetary("Untaxed Amount (company currency)",
                                             currency_field="company_currency_id",
                                             compute="_compute_amounts_company", store=True)
    amount_total_company = fields.Monetary("Total (company currency)",
                                           currency_field="company_currency_id",
                                           compute="_compute_amounts_company", store=True)
    tax_totals = fields.Json("Tax Totals", compute="_compute_tax_totals")
    margin = fields.Monetary(compute="_compute_margin", store=True,
                             help="Untaxed amount minus the cost of the lines whose cost "
                                  "is known")
    margin_percent = fields.Float("Margin (%)", compute="_compute_margin", store=True,
                                  group_operator="avg")
    # discount approval
    max_discount = fields.Float("Highest Discount (%)", compute="_compute_discount_approval",
                                store=True)
    discount_approval_required = fields.Boolean(
        compute="_compute_discount_approval", store=True,
        help="A line's discount is above the company's threshold: the salesperson's "
             "manager confirms the order")
    discount_approver_id = fields.Many2one(
        "res.users", "Discount Approver", compute="_compute_discount_approval", store=True,
        help="The leader of the salesperson's team; empty: a sales administrator")

    # ------------------------------------------------------------------
    # defaults from the customer
    # ------------------------------------------------------------------
    @api.depends("partner_id")
    def _compute_partner_addresses(self) -> None:
        for order in self:
            addresses = order.partner_id.address_get(["invoice", "delivery"]) \
                if order.partner_id else {}
            Partner = self.env["res.partner"]  # noqa: N806
            order.partner_invoice_id = Partner.browse(addresses.get("invoice") or [])
            order.partner_shipping_id = Partner.browse(addresses.get("delivery") or [])

    @api.depends("partner_id")
    def _compute_user_id(self) -> None:
        for order in self:
            if not order.user_id:
                partner_user = order.partner_id.commercial_partner_id.user_id \
                    or order.partner_id.user_id
                order.user_id = partner_user or self.env.user

    @api.depends("user_id", "company_id")
    def _compute_team_id(self) -> None:
        Team = self.env["crm.team"]  # noqa: N806
        for order in self:
            user = order.user_id
            if order.team_id and user and user in (order.team_id.member_ids
                                                   | order.team_id.user_id):
                continue
            order.team_id = Team.with_company(order.company_id)._get_default_team_id(
                user_id=user.id) if user else Team.browse()

    @api.depends("company_id")
    def _compute_validity_date(self) -> None:
        today = fields.Date.today()
        for order in self:
            days = order.company_id.quotation_validity_days
            order.validity_date = today + dt.timedelta(days) if days else False

    @api.depends("partner_id", "company_id")
    def _compute_pricelist_id(self) -> None:
        Pricelist = self.env["product.pricelist"]  # noqa: N806
        for order in self:
            if not order.partner_id:
                order.pricelist_id = False
                continue
            order.pricelist_id = Pricelist.with_company(order.company_id) \
                ._get_partner_pricelist(order.partner_id.id, order.company_id.id)

    @api.depends("pricelist_id", "company_id")
    def _compute_currency_id(self) -> None:
        for order in self:
            order.currency_id = order.pricelist_id.currency_id or \
                (order.company_id or self.env.company).currency_id

    @api.depends("currency_id", "date_order", "company_id")
    def _compute_currency_rate(self) -> None:
        Currency = self.env["res.currency"]  # noqa: N806
        for order in self:
            company = order.company_id or self.env.company
            if not order.currency_id:
                order.currency_rate = 1.0
                continue
            date = order.date_order.date() if order.date_order else fields.Date.today()
            order.currency_rate = Currency._get_conversion_rate(
                company.currency_id, order.currency_id, company, date)

    @api.depends("partner_id")
    def _compute_payment_term_id(self) -> None:
        for order in self:
            terms = order.partner_id.commercial_partner_id.property_payment_term_id
            order.payment_term_id = terms or order.payment_term_id

    @api.depends("partner_shipping_id", "partner_id", "company_id")
    def _compute_fiscal_position_id(self) -> None:
        Position = self.env["account.fiscal.position"]  # noqa: N806
        for order in self:
            order.fiscal_position_id = Position.with_company(order.company_id) \
                ._get_fiscal_position(order.partner_id, order.partner_shipping_id) \
                if order.partner_id else Position.browse()

    # ------------------------------------------------------------------
    # amounts
    # ------------------------------------------------------------------
    def _round_per_line(self) -> bool:
        return self.company_id.tax_calculation_rounding_method != "round_globally"

    def _tax_results(self) -> list:
        """The ``TaxResult`` of each product line, exact when rounding globally."""
        self.ensure_one()
        per_line = self._round_per_line()
        return [line._tax_result(round_per_line=per_line)
                for line in self.order_line if not line.display_type]

    @api.depends("order_line.price_unit", "order_line.product_uom_qty", "order_line.discount",
                 "order_line.tax_id", "order_line.display_type", "currency_id",
                 "company_id.tax_calculation_rounding_method")
    def _compute_amounts(self) -> None:
        for order in self:
            currency = order.currency_id or order.company_id.currency_id
            if not currency:
                order.amount_untaxed = order.amount_tax = order.amount_total = 0.0
                continue
            totals = document_totals(order._tax_results(), Decimal(str(currency.rounding)))
            order.amount_untaxed = float(totals.amount_untaxed)
            order.amount_tax = float(totals.amount_tax)
            order.amount_total = float(totals.amount_total)

    @api.depends("amount_untaxed", "amount_total", "currency_rate", "company_id")
    def _compute_amounts_company(self) -> None:
        for order in self:
            order.amount_untaxed_company = order._to_company_currency(order.amount_untaxed)
            order.amount_total_company = order._to_company_currency(order.amount_total)

    def _to_company_currency(self, amount: float) -> float:
        """``amount`` of the order's currency at the order's rate, rounded."""
        currency = self.company_id.currency_id
        amount = amount / (self.currency_rate or 1.0)
        return currency.round(amount) if currency else amount

    def _compute_tax_totals(self) -> None:
        for order in self:
            currency = order.currency_id or order.company_id.currency_id
            if not currency:
                order.tax_totals = False
                continue
            totals = document_totals(order._tax_results(), Decimal(str(currency.rounding)))
            order.tax_totals = {
                "amount_untaxed": float(totals.amount_untaxed),
                "amount_tax": float(totals.amount_tax),
                "amount_total": float(totals.amount_total),
                "currency": currency.name,
                "taxes": [{"tax_id": tax_id, "name": name, "base": float(base),
                           "amount": float(amount)}
                          for tax_id, name, base, amount, _group in totals.by_tax],
            }

    @api.depends("order_line.margin", "amount_untaxed")
    def _compute_margin(self) -> None:
        for order in self:
            lines = order.order_line.filtered(lambda line: not line.display_type)
            order.margin = sum(lines.mapped("margin"))
            order.margin_percent = order.margin / order.amount_untaxed \
                if order.amount_untaxed else 0.0

    @api.depends("order_line.discount", "order_line.display_type", "user_id", "team_id",
                 "team_id.user_id", "company_id.sale_discount_approval_threshold")
    def _compute_discount_approval(self) -> None:
        for order in self:
            discounts = order.order_line.filtered(lambda line: not line.display_type) \
                .mapped("discount")
            order.max_discount = max(discounts, default=0.0)
            threshold = order.company_id.sale_discount_approval_threshold
            order.discount_approval_required = bool(threshold) and \
                order.max_discount > threshold + 1e-9
            leader = order.team_id.user_id
            order.discount_approver_id = leader if leader and leader != order.user_id \
                else False

    # ------------------------------------------------------------------
    # create / write / unlink
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        Sequence = self.env["ir.sequence"].sudo()  # noqa: N806
        Partner = self.env["res.partner"]  # noqa: N806
        for vals in vals_list:
            if not vals.get("user_id"):
                # the customer's salesperson, else the user creating the order (set
                # here: computed fields run as superuser, who is not the salesperson)
                partner = Partner.browse(vals.get("partner_id") or []).sudo()
                vals["user_id"] = (partner.commercial_partner_id.user_id or partner.user_id
                                   or self.env.user).id
            if vals.get("name", "New") in ("New", False, None):
                company = vals.get("company_id") or self.env.company.id
                vals["name"] = Sequence.with_company(company).next_by_code("sale.order") \
                    or "New"
        # the lines are created once the orders' price list, currency and fiscal
        # position are computed: their prices and taxes depend on them, and values
        # given for the lines (a price typed by hand) must not be recomputed away
        line_commands = [vals.pop("order_line", None) for vals in vals_list]
        orders = super().create(vals_list)
        for order, vals, commands in zip(orders, vals_list, line_commands, strict=True):
            # computed fields given with the customer are kept (the ORM would
            # recompute them from the customer given in the same create)
            given = {name: vals[name] for name in GIVEN_KEPT if name in vals}
            if given:
                order.write(given)
            if commands:
                order.write({"order_line": commands})
        return orders

    def write(self, vals):
        locked = self.filtered("locked")
        if locked and set(vals) - LOCKED_WRITABLE:
            raise UserError(_(self.env, "The order %s is locked: unlock it to change it.",
                              locked[0].name))
        positions = {order.id: order.fiscal_position_id for order in self}
        result = super().write(vals)
        if {"partner_id", "partner_shipping_id", "fiscal_position_id"} & set(vals):
            changed = self.filtered(lambda order: order.fiscal_position_id !=
                                    positions[order.id] and order.state in
                                    ("draft", "sent", "negotiation"))
            changed.mapped("order_line")._apply_product_taxes()
        return result

    def unlink(self):
        for order in self:
            if order.state not in ("draft", "cancel"):
                raise UserError(_(self.env, "You can not delete a sent quotation or a "
                                  "confirmed sales order (%s). You must first cancel it.",
                                  order.name))
        return super().unlink()

    # ------------------------------------------------------------------
    # workflow (the transitions are in data/sale_order_workflow.xml)
    # ------------------------------------------------------------------
    def action_confirm(self, values=None, comment=None):
        manager = self.env.su or self.env.user.has_group("sales_team.group_sale_manager")
        for order in self:
            if not order.order_line.filtered(lambda line: not line.display_type):
                raise UserError(_(self.env, "The order %s has no product line to confirm.",
                                  order.name))
            if order.discount_approval_required and not order.discount_approver_id \
                    and not manager:
                raise AccessError(_(self.env, "%(order)s: a discount of %(discount)s %% "
                                    "needs the approval of a sales administrator.",
                                    order=order.name, discount=f"{order.max_discount:g}"))
        return super().action_confirm(values=values, comment=comment)

    def _on_confirmed(self) -> None:
        """On entering 'sale': the order is locked, as Odoo's confirmed orders are."""
        self.sudo().write({"locked": True})

    def action_lock(self) -> bool:
        self.sudo().write({"locked": True})
        return True

    def action_unlock(self) -> bool:
        if not self.env.su and not self.env.user.has_group("sales_team.group_sale_manager"):
            raise UserError(_(self.env, "Only a sales administrator may unlock an order."))
        self.filtered(lambda order: order.active).sudo().write({"locked": False})
        return True

    def _check_lines_editable(self) -> None:
        for order in self:
            if order.locked or order.state in ("sale", "cancel"):
                raise UserError(_(self.env, "The lines of %(order)s cannot change: it is "
                                  "%(state)s. Unlock it or make a revision.", order=order.name,
                                  state=dict(order._fields["state"].selection)
                                  .get(order.state, order.state)))

    def _get_order_lines_to_report(self):
        return self.order_line.sorted(key=lambda line: (line.sequence, line.id))

    def _document_title(self) -> str:
        """What the PDF and the portal call the document."""
        self.ensure_one()
        if self.state == "sale":
            return _(self.env, "Proforma Invoice")
        return _(self.env, "Quotation")
