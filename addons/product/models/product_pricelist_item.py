"""Price list rules: which products, from which quantity, when, and how the price is made.

    Command.create({"applied_on": "1_product", "product_tmpl_id": panel.id,
                    "min_quantity": 500, "compute_price": "fixed", "fixed_price": 38.0})
    Command.create({"applied_on": "2_product_category", "categ_id": lighting.id,
                    "compute_price": "percentage", "percent_price": 10})       # 10 % off
    Command.create({"applied_on": "3_global", "compute_price": "formula",
                    "base": "standard_price", "price_discount": -25,          # cost + 25 %
                    "price_round": 0.05, "price_surcharge": 0.5,
                    "price_min_margin": 1.0})

Rules are tried from the most specific (a variant) to the least (every
product), and among rules of one kind from the highest minimum quantity
down, so that quantity tiers need no more than one rule per tier. The
price of a rule is in its price list's currency and per the product's
unit of measure (converted to the unit of the order line).
"""

from __future__ import annotations

import datetime as dt

from addons.base.tools import float_round
from core import api, fields, models
from core.exceptions import ValidationError
from core.i18n import _


class ProductPricelistItem(models.Model):
    _name = "product.pricelist.item"
    _description = "Pricelist Rule"
    _order = "applied_on, min_quantity desc, categ_id desc, id desc"

    pricelist_id = fields.Many2one("product.pricelist", "Pricelist", required=True,
                                   ondelete="cascade", index=True)
    company_id = fields.Many2one("res.company", related="pricelist_id.company_id", store=True)
    currency_id = fields.Many2one("res.currency", related="pricelist_id.currency_id",
                                  store=True)
    active = fields.Boolean(related="pricelist_id.active", store=True)
    applied_on = fields.Selection([("3_global", "All Products"),
                                   ("2_product_category", "Product Category"),
                                   ("1_product", "Product"),
                                   ("0_product_variant", "Product Variant")],
                                  "Apply On", default="3_global", required=True)
    categ_id = fields.Many2one("product.category", "Product Category", ondelete="cascade")
    product_tmpl_id = fields.Many2one("product.template", "Product", ondelete="cascade")
    product_id = fields.Many2one("product.product", "Product Variant", ondelete="cascade")
    min_quantity = fields.Float("Min. Quantity", digits=(16, 3), default=0.0,
                                help="The rule applies from this quantity on, in the "
                                     "product's unit of measure")
    date_start = fields.Datetime("Start Date")
    date_end = fields.Datetime("End Date")
    compute_price = fields.Selection([("fixed", "Fixed Price"), ("percentage", "Discount"),
                                      ("formula", "Formula")], "Computation",
                                     default="fixed", required=True, index=True)
    fixed_price = fields.Float("Fixed Price", digits=(16, 4))
    percent_price = fields.Float("Percentage Price", digits=(16, 4),
                                 help="Discount on the sales price, in %")
    base = fields.Selection([("list_price", "Sales Price"), ("standard_price", "Cost"),
                             ("pricelist", "Other Pricelist")], "Based on",
                            default="list_price", required=True)
    base_pricelist_id = fields.Many2one("product.pricelist", "Other Pricelist")
    price_discount = fields.Float("Price Discount", digits=(16, 4), default=0.0,
                                  help="In %; negative for a mark-up (-25: cost + 25 %)")
    price_round = fields.Float("Price Rounding", digits=(16, 4),
                               help="Round the price to a multiple of this (0.05)")
    price_surcharge = fields.Float("Extra Fee", digits=(16, 4),
                                   help="Added after discount and rounding")
    price_min_margin = fields.Float("Min. Price Margin", digits=(16, 4))
    price_max_margin = fields.Float("Max. Price Margin", digits=(16, 4))
    name = fields.Char(compute="_compute_name_and_price", help="What the rule applies to")
    price = fields.Char(compute="_compute_name_and_price", help="How the price is computed")

    _sql_constraints = [
        ("min_quantity_positive", "check(min_quantity >= 0)",
         "The minimum quantity cannot be negative."),
    ]

    @api.depends("applied_on", "categ_id", "product_tmpl_id", "product_id", "compute_price",
                 "fixed_price", "percent_price", "price_discount", "price_surcharge", "base")
    def _compute_name_and_price(self) -> None:
        for item in self:
            item.name = {
                "2_product_category": _(item.env, "Category: %s", item.categ_id.display_name),
                "1_product": _(item.env, "Product: %s", item.product_tmpl_id.display_name),
                "0_product_variant": _(item.env, "Variant: %s", item.product_id.display_name),
            }.get(item.applied_on, _(item.env, "All Products"))
            if item.compute_price == "fixed":
                item.price = f"{item.fixed_price:g} {item.currency_id.name or ''}".strip()
            elif item.compute_price == "percentage":
                item.price = _(item.env, "%s %% discount", f"{item.percent_price:g}")
            else:
                item.price = _(item.env, "%(discount)s %% discount and %(surcharge)s surcharge",
                               discount=f"{item.price_discount:g}",
                               surcharge=f"{item.price_surcharge:g}")

    @api.constrains("applied_on", "categ_id", "product_tmpl_id", "product_id")
    def _check_target(self) -> None:
        needs = {"2_product_category": "categ_id", "1_product": "product_tmpl_id",
                 "0_product_variant": "product_id"}
        for item in self:
            field = needs.get(item.applied_on)
            if field and not item[field]:
                raise ValidationError(_(self.env, "A rule applied on %s needs one.",
                                        item._fields[field].string))

    @api.constrains("base", "base_pricelist_id", "pricelist_id", "compute_price")
    def _check_base(self) -> None:
        for item in self:
            if item.compute_price == "formula" and item.base == "pricelist":
                if not item.base_pricelist_id:
                    raise ValidationError(_(self.env, "A formula based on another pricelist "
                                            "names that pricelist."))
                if item.base_pricelist_id == item.pricelist_id:
                    raise ValidationError(_(self.env, "A pricelist cannot be based on "
                                            "itself."))

    @api.constrains("date_start", "date_end")
    def _check_dates(self) -> None:
        for item in self:
            if item.date_start and item.date_end and item.date_start >= item.date_end:
                raise ValidationError(_(self.env, "The start date of a rule must come before "
                                        "its end date."))

    @api.constrains("price_min_margin", "price_max_margin")
    def _check_margins(self) -> None:
        for item in self:
            if item.price_max_margin and item.price_min_margin > item.price_max_margin:
                raise ValidationError(_(self.env, "The minimum margin should be lower than "
                                        "the maximum margin."))

    # ------------------------------------------------------------------
    # applying a rule
    # ------------------------------------------------------------------
    def _is_applicable_for(self, product, qty_in_product_uom: float, date: dt.datetime) -> bool:
        self.ensure_one()
        if self.min_quantity and qty_in_product_uom < self.min_quantity:
            return False
        if self.date_start and date < self.date_start:
            return False
        if self.date_end and date > self.date_end:
            return False
        return True

    def _compute_price(self, product, quantity: float, uom, date: dt.datetime,
                       currency) -> float:
        """The price of one ``uom`` of ``product`` by this rule, in ``currency``
        (the price list's), unrounded but for ``price_round``."""
        self.ensure_one()
        to_uom = (lambda price: product.uom_id._compute_price(price, uom)) \
            if uom and uom != product.uom_id else (lambda price: price)
        if self.compute_price == "fixed":
            return to_uom(self.fixed_price)
        base = self._compute_base_price(product, quantity, uom, date, currency)
        if self.compute_price == "percentage":
            return base - base * self.percent_price / 100.0
        price = base - base * self.price_discount / 100.0
        if self.price_round:
            price = float_round(price, self.price_round)
        if self.price_surcharge:
            price += to_uom(self.price_surcharge)
        if self.price_min_margin:
            price = max(price, base + to_uom(self.price_min_margin))
        if self.price_max_margin:
            price = min(price, base + to_uom(self.price_max_margin))
        return price

    def _compute_base_price(self, product, quantity: float, uom, date: dt.datetime,
                            currency) -> float:
        """The rule's base, per ``uom``, converted into ``currency`` once."""
        if self.base == "pricelist" and self.base_pricelist_id:
            return self.base_pricelist_id._get_product_price(product, quantity, currency=currency,
                                                             uom=uom, date=date)
        if self.base == "standard_price":
            price, source = product.standard_price, product.cost_currency_id
        else:
            price, source = product.lst_price, product.currency_id
        price = product.uom_id._compute_price(price, uom) if uom else price
        if source and source != currency:
            price = source._convert(price, currency, self.env.company, date.date(), round=False)
        return price
