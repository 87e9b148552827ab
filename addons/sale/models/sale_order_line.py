"""Lines of quotations and sales orders: a product, a quantity, a price, taxes.

    line = order.order_line.create({"order_id": order.id, "product_id": panel.id,
                                    "product_uom_qty": 600})
    line.price_unit        # the price list's price for 600 (a quantity tier), per line unit
    line.tax_id            # the product's taxes as the order's fiscal position maps them
    line.price_subtotal, line.price_tax, line.price_total
    line.margin            # price_subtotal - purchase_price × quantity, when the cost is known

Section and note lines (``display_type``) carry a text only. The price,
unit, description and taxes follow the product (and the quantity, for
the price) until they are written: a value given is kept.
"""

from __future__ import annotations

from core import api, fields, models
from core.exceptions import ValidationError
from core.i18n import _

#: line fields a locked or confirmed order keeps as they are
PROTECTED_FIELDS = frozenset({"product_id", "product_uom_qty", "product_uom", "price_unit",
                              "discount", "tax_id", "display_type", "order_id"})
OPEN_STATES = ("draft", "sent", "negotiation")
#: computed line fields whose value, when given on create, is kept
GIVEN_KEPT = ("name", "product_uom", "price_unit", "discount", "purchase_price")


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _description = "Sales Order Line"
    _order = "order_id, sequence, id"

    order_id = fields.Many2one("sale.order", "Order Reference", required=True,
                               ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    display_type = fields.Selection([("line_section", "Section"), ("line_note", "Note")],
                                    default=False, help="Technical field for UX purpose.")
    company_id = fields.Many2one("res.company", related="order_id.company_id", store=True)
    currency_id = fields.Many2one("res.currency", related="order_id.currency_id", store=True)
    state = fields.Selection(related="order_id.state", store=True, string="Order Status")
    product_id = fields.Many2one("product.product", "Product", ondelete="restrict",
                                 index=True, domain=[("sale_ok", "=", True)])
    product_template_id = fields.Many2one("product.template", "Product Template",
                                          related="product_id.product_tmpl_id")
    name = fields.Text("Description", compute="_compute_name", store=True,
                       readonly=False)
    product_uom_qty = fields.Float("Quantity", digits=(16, 3), default=1.0)
    product_uom = fields.Many2one("uom.uom", "Unit of Measure", compute="_compute_product_uom",
                                  store=True, readonly=False, ondelete="restrict")
    product_uom_category_id = fields.Many2one("uom.category",
                                              related="product_id.uom_id.category_id")
    price_unit = fields.Float("Unit Price", digits=(16, 4), compute="_compute_price_unit",
                              store=True, readonly=False)
    discount = fields.Float("Discount (%)", digits=(16, 2), compute="_compute_discount",
                            store=True, readonly=False)
    pricelist_item_id = fields.Many2one("product.pricelist.item",
                                        compute="_compute_pricelist_item_id")
    # set from the product on create and when the product changes (not a stored
    # computed field: the ORM does not store computed many2many values yet)
    tax_id = fields.Many2many("account.tax", "account_tax_sale_order_line_rel",
                              "sale_order_line_id", "account_tax_id", "Taxes",
                              domain=[("type_tax_use", "=", "sale")])
    price_subtotal = fields.Monetary("Subtotal", compute="_compute_amount", store=True)
    price_tax = fields.Monetary("Total Tax", compute="_compute_amount", store=True)
    price_total = fields.Monetary("Total", compute="_compute_amount", store=True)
    price_reduce_taxexcl = fields.Monetary("Price Reduce Tax excl",
                                           compute="_compute_amount", store=True)
    # margin
    purchase_price = fields.Float("Cost", digits=(16, 4), compute="_compute_purchase_price",
                                  store=True, readonly=False,
                                  help="The product's cost in the order currency")
    margin = fields.Monetary(compute="_compute_margin", store=True)
    margin_percent = fields.Float("Margin (%)", compute="_compute_margin", store=True,
                                  group_operator="avg")
    # sales analysis, in company currency
    salesman_id = fields.Many2one("res.users", related="order_id.user_id", store=True,
                                  string="Salesperson")
    team_id = fields.Many2one("crm.team", related="order_id.team_id", store=True,
                              string="Sales Team")
    order_partner_id = fields.Many2one("res.partner", related="order_id.partner_id",
                                       store=True, string="Customer")
    country_id = fields.Many2one("res.country", related="order_id.partner_id.country_id",
                                 store=True, string="Customer Country")
    date_order = fields.Datetime(related="order_id.date_order", store=True,
                                 string="Order Date")
    product_categ_id = fields.Many2one("product.category", related="product_id.categ_id",
                                       store=True, string="Product Category")
    company_currency_id = fields.Many2one("res.currency", related="company_id.currency_id")
    price_subtotal_company = fields.Monetary(
        "Untaxed Amount (company currency)", currency_field="company_currency_id",
        compute="_compute_amount_company", store=True)

    _sql_constraints = [
        ("accountable_required_fields",
         "check(display_type IS NOT NULL OR product_id IS NOT NULL)",
         "Missing required fields on accountable sale order line."),
        ("non_accountable_null_fields",
         "check(display_type IS NULL OR (product_id IS NULL AND price_unit = 0 "
         "AND product_uom_qty = 0))",
         "Forbidden values on non-accountable sale order line"),
    ]

    # ------------------------------------------------------------------
    # values that follow the product
    # ------------------------------------------------------------------
    @api.depends("product_id")
    def _compute_name(self) -> None:
        for line in self:
            if not line.product_id:
                line.name = line.name or False
                continue
            lang = line.order_id.partner_id.lang or self.env.lang
            product = line.product_id.with_context(lang=lang)
            line.name = product.display_name + (
                f"\n{product.description_sale}" if product.description_sale else "")

    @api.depends("product_id")
    def _compute_product_uom(self) -> None:
        for line in self:
            if not line.product_uom or line.product_uom.category_id != \
                    line.product_id.uom_id.category_id:
                line.product_uom = line.product_id.uom_id

    def _open_for_pricing(self) -> bool:
        return self.order_id.state in OPEN_STATES and not self.order_id.locked \
            and not self.display_type and bool(self.product_id)

    @api.depends("product_id", "product_uom", "product_uom_qty", "order_id.pricelist_id",
                 "order_id.currency_id")
    def _compute_price_unit(self) -> None:
        for line in self:
            if not line._open_for_pricing():
                line.price_unit = line.price_unit or 0.0
                continue
            line.price_unit = line._get_pricelist_price()

    @api.depends("product_id", "product_uom", "product_uom_qty", "order_id.pricelist_id")
    def _compute_discount(self) -> None:
        for line in self:
            pricelist = line.order_id.pricelist_id
            if not line._open_for_pricing() or pricelist.discount_policy != "without_discount":
                line.discount = line.discount or 0.0
                continue
            base = line._get_pricelist_price(base_price=True)
            price = line._get_pricelist_price()
            line.discount = max(0.0, (base - price) / base * 100.0) if base else 0.0

    def _get_pricelist_price(self, base_price: bool = False) -> float:
        """The unit price of the line's product and quantity, in the order's
        currency per the line's unit; ``base_price``: before the price list's
        rules (for a price list that shows the discount)."""
        self.ensure_one()
        order = self.order_id
        currency = order.currency_id or order.company_id.currency_id
        date = order.date_order or fields.Datetime.now()
        product = self.product_id.with_company(order.company_id)
        uom = self.product_uom or product.uom_id
        pricelist = order.pricelist_id.with_company(order.company_id)
        if pricelist and not base_price:
            price = pricelist._get_product_price(product, self.product_uom_qty or 1.0,
                                                 currency=currency, uom=uom, date=date)
        else:
            price = product.uom_id._compute_price(product.lst_price, uom)
            price = product.currency_id._convert(price, currency, order.company_id,
                                                 date.date(), round=False)
        return price

    def _compute_pricelist_item_id(self) -> None:
        for line in self:
            pricelist = line.order_id.pricelist_id
            if not pricelist or not line.product_id:
                line.pricelist_item_id = False
                continue
            rule = pricelist._get_product_rule(line.product_id, line.product_uom_qty or 1.0,
                                               uom=line.product_uom,
                                               date=line.order_id.date_order)
            line.pricelist_item_id = rule or False

    def _product_taxes(self, product, order):
        """The product's taxes of the order's company, mapped by its fiscal position."""
        company = order.company_id
        taxes = product.taxes_id.filtered(lambda tax: tax.company_id == company)
        return order.fiscal_position_id.map_tax(taxes)

    def _apply_product_taxes(self) -> None:
        for line in self.filtered(lambda line: line.product_id and not line.display_type):
            line.tax_id = line._product_taxes(line.product_id, line.order_id)

    @api.onchange("product_id")
    def _onchange_product_id_taxes(self) -> None:
        for line in self:
            if line.product_id and line.order_id:
                line.tax_id = line._product_taxes(line.product_id, line.order_id)

    @api.depends("product_id", "product_uom", "order_id.currency_id", "company_id")
    def _compute_purchase_price(self) -> None:
        for line in self:
            product = line.product_id
            if not product or not product.standard_price:
                line.purchase_price = line.purchase_price or 0.0
                continue
            order = line.order_id
            cost = product.uom_id._compute_price(product.standard_price,
                                                 line.product_uom or product.uom_id)
            currency = order.currency_id or order.company_id.currency_id
            date = (order.date_order or fields.Datetime.now()).date()
            line.purchase_price = product.cost_currency_id._convert(
                cost, currency, order.company_id, date, round=False)

    # ------------------------------------------------------------------
    # amounts
    # ------------------------------------------------------------------
    def _tax_result(self, round_per_line: bool | None = None):
        """The line's ``TaxResult`` (account_base.tools.taxes)."""
        self.ensure_one()
        order = self.order_id
        currency = order.currency_id or order.company_id.currency_id
        price = self.price_unit * (1 - (self.discount or 0.0) / 100.0)
        taxes = self.tax_id.with_company(order.company_id)
        if round_per_line is None:
            round_per_line = order._round_per_line()
        return taxes._compute_decimal(price, currency, self.product_uom_qty,
                                      round_per_line=round_per_line)

    @api.depends("product_uom_qty", "discount", "price_unit", "tax_id", "display_type",
                 "order_id.currency_id")
    def _compute_amount(self) -> None:
        for line in self:
            if line.display_type or not line.order_id:
                line.price_subtotal = line.price_tax = line.price_total = 0.0
                line.price_reduce_taxexcl = 0.0
                continue
            result = line._tax_result(round_per_line=True)
            line.price_subtotal = float(result.total_excluded)
            line.price_total = float(result.total_included)
            line.price_tax = float(result.total_included - result.total_excluded)
            line.price_reduce_taxexcl = line.price_subtotal / line.product_uom_qty \
                if line.product_uom_qty else 0.0

    @api.depends("price_subtotal", "order_id.currency_rate")
    def _compute_amount_company(self) -> None:
        for line in self:
            rate = line.order_id.currency_rate or 1.0
            currency = line.order_id.company_id.currency_id
            amount = line.price_subtotal / rate
            line.price_subtotal_company = currency.round(amount) if currency else amount

    @api.depends("price_subtotal", "product_uom_qty", "purchase_price")
    def _compute_margin(self) -> None:
        for line in self:
            if not line.purchase_price:
                line.margin = line.margin_percent = 0.0
                continue
            line.margin = line.price_subtotal - line.purchase_price * line.product_uom_qty
            line.margin_percent = line.margin / line.price_subtotal \
                if line.price_subtotal else 0.0

    # ------------------------------------------------------------------
    # constraints and locking
    # ------------------------------------------------------------------
    @api.constrains("discount")
    def _check_discount(self) -> None:
        for line in self:
            if not 0 <= line.discount <= 100:
                raise ValidationError(_(self.env, "A discount lies between 0 and 100 %%."))

    @api.constrains("product_id", "product_uom")
    def _check_uom(self) -> None:
        for line in self:
            if line.product_id and line.product_uom and \
                    line.product_uom.category_id != line.product_id.uom_id.category_id:
                raise ValidationError(_(
                    self.env, "The unit %(unit)s of a line of %(product)s is not in the "
                    "category of the product's unit.", unit=line.product_uom.name,
                    product=line.product_id.display_name))

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            if vals.get("display_type"):
                vals.update(product_id=False, price_unit=0.0, product_uom_qty=0.0)
            elif vals.get("product_id"):
                # a blank description or unit (a form's empty cell) follows the product;
                # kept as given, it would recompute the typed price away
                for name in ("name", "product_uom"):
                    if name in vals and not vals[name]:
                        del vals[name]
        orders = self.env["sale.order"].browse({v["order_id"] for v in vals_list
                                                if v.get("order_id")})
        orders._check_lines_editable()
        lines = super().create(vals_list)
        lines.browse([line.id for line, vals in zip(lines, vals_list, strict=True)
                      if "tax_id" not in vals])._apply_product_taxes()
        # values given for fields that follow the product are kept: the ORM would
        # recompute them from the product given in the same create
        for line, vals in zip(lines, vals_list, strict=True):
            given = {name: vals[name] for name in GIVEN_KEPT if name in vals}
            if given:
                line.write(given)
        return lines

    def write(self, vals):
        if PROTECTED_FIELDS & set(vals):
            self.mapped("order_id")._check_lines_editable()
        result = super().write(vals)
        if "product_id" in vals and "tax_id" not in vals:
            self._apply_product_taxes()
        return result

    def unlink(self):
        self.mapped("order_id")._check_lines_editable()
        return super().unlink()

