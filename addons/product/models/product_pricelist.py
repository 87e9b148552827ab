"""Price lists: prices in one currency for a group of customers, by rules.

    usd = env["product.pricelist"].create({
        "name": "Export USD", "currency_id": env.ref("base.USD").id,
        "item_ids": [Command.create({"applied_on": "1_product", "product_tmpl_id": panel.id,
                                     "compute_price": "fixed", "fixed_price": 38.0,
                                     "min_quantity": 500})]})
    usd._get_product_price(variant, 600)                       # 38.0 (USD)
    usd._get_product_price(variant, 600, currency=eur)         # converted once, to EUR
    usd._compute_price_rule(variants, 600)                     # {id: (price, rule id)}

A price is computed in the price list's own currency: a fixed price is
taken as written, a percentage or formula rule converts its base (the
product's price in the company currency, or another price list's price)
into it, once. Converting into another currency (an order in EUR on a USD
price list) is one more conversion, directly from the price list's
currency, at the date given.
"""

from __future__ import annotations

import datetime as dt

from core import api, fields, models
from core.i18n import _


def _default_currency(self):
    return self.env.company.currency_id.id


class ProductPricelist(models.Model):
    _name = "product.pricelist"
    _description = "Pricelist"
    _order = "sequence, id"

    name = fields.Char("Pricelist Name", required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=16)
    currency_id = fields.Many2one("res.currency", "Currency", required=True,
                                  default=_default_currency)
    company_id = fields.Many2one("res.company", "Company", index=True)
    country_group_ids = fields.Many2many("res.country.group", "res_country_group_pricelist_rel",
                                         "pricelist_id", "res_country_group_id",
                                         "Country Groups",
                                         help="Customers of these countries get this price "
                                              "list unless they have one of their own")
    discount_policy = fields.Selection(
        [("with_discount", "Discount included in the price"),
         ("without_discount", "Show public price & discount to the customer")],
        default="with_discount", required=True)
    item_ids = fields.One2many("product.pricelist.item", "pricelist_id", "Pricelist Rules",
                               copy=True)

    @api.depends("name", "currency_id")
    def _compute_display_name(self) -> None:
        for pricelist in self:
            pricelist.display_name = f"{pricelist.name} ({pricelist.currency_id.name})" \
                if pricelist.currency_id else (pricelist.name or "")

    # ------------------------------------------------------------------
    # prices
    # ------------------------------------------------------------------
    def _compute_price_rule(self, products, quantity: float, currency=None, uom=None,
                            date: dt.date | dt.datetime | None = None,
                            **kwargs) -> dict[int, tuple[float, int | bool]]:
        """{product id: (price, rule id or False)}: the price of ``quantity`` of
        ``uom`` (default: each product's unit) on ``date`` (default: today),
        per ``uom``, in ``currency`` (default: the price list's)."""
        self.ensure_one()
        date = _as_datetime(date or fields.Datetime.now())
        target = currency or self.currency_id
        result = {}
        for product in products:
            unit = uom or product.uom_id
            qty = unit._compute_quantity(quantity, product.uom_id, round=False) \
                if unit != product.uom_id else quantity
            rule = self._get_applicable_rule(product, qty, date)
            if rule:
                price = rule._compute_price(product, quantity, unit, date, self.currency_id)
            else:
                price = product.uom_id._compute_price(product.lst_price, unit)
                price = product.currency_id._convert(price, self.currency_id, self.env.company,
                                                     date.date(), round=False)
            if target != self.currency_id:
                price = self.currency_id._convert(price, target, self.env.company, date.date(),
                                                  round=False)
            result[product.id] = (price, rule.id if rule else False)
        return result

    def _get_product_price(self, product, quantity: float, currency=None, uom=None,
                           date=None, **kwargs) -> float:
        """The price of ``product`` (see ``_compute_price_rule``)."""
        return self._compute_price_rule(product, quantity, currency, uom, date)[product.id][0]

    def _get_products_price(self, products, quantity: float, currency=None, uom=None,
                            date=None, **kwargs) -> dict[int, float]:
        rules = self._compute_price_rule(products, quantity, currency, uom, date)
        return {product_id: price for product_id, (price, _rule) in rules.items()}

    def _get_product_rule(self, product, quantity: float, uom=None, date=None,
                          **kwargs) -> int | bool:
        return self._compute_price_rule(product, quantity, uom=uom, date=date)[product.id][1]

    def _get_applicable_rule(self, product, quantity: float, date: dt.datetime):
        """The first rule (most specific, highest minimum quantity) that applies."""
        for rule in self._rules_for(product):
            if rule._is_applicable_for(product, quantity, date):
                return rule
        return self.env["product.pricelist.item"]

    def _rules_for(self, product):
        """The rules that may apply to ``product``, in the order they are tried."""
        categories = []
        category = product.categ_id
        while category:
            categories.append(category.id)
            category = category.parent_id
        return self.env["product.pricelist.item"].search([
            ("pricelist_id", "=", self.id),
            "|", "|", "|", ("applied_on", "=", "3_global"),
            "&", ("applied_on", "=", "2_product_category"), ("categ_id", "in", categories),
            "&", ("applied_on", "=", "1_product"),
            ("product_tmpl_id", "=", product.product_tmpl_id.id),
            "&", ("applied_on", "=", "0_product_variant"), ("product_id", "=", product.id),
        ], order="applied_on, min_quantity desc, categ_id desc, id desc")

    # ------------------------------------------------------------------
    # the price list of a customer
    # ------------------------------------------------------------------
    @api.model
    def _get_partner_pricelist(self, partner_id: int, company_id: int | None = None):
        """The customer's own price list, else the first one for their country's
        groups, else the first price list of the company (or shared)."""
        partner = self.env["res.partner"].browse(partner_id).commercial_partner_id
        own = partner.sudo().specific_property_product_pricelist
        if own and own.active:
            return own
        return self._get_country_pricelist(partner.country_id, company_id)

    @api.model
    def _get_country_pricelist(self, country, company_id: int | None = None):
        company = company_id or self.env.company.id
        scope = ["|", ("company_id", "=", False), ("company_id", "=", company)]
        if country:
            found = self.search(scope + [("country_group_ids.country_ids", "=", country.id)],
                                limit=1)
            if found:
                return found
        return self.search(scope + [("country_group_ids", "=", False)], limit=1) or \
            self.search(scope, limit=1)

    def action_open_rules(self) -> dict:
        self.ensure_one()
        return {"type": "ir.actions.act_window", "name": _(self.env, "Price Rules"),
                "res_model": "product.pricelist.item", "view_mode": "list,form",
                "domain": [("pricelist_id", "=", self.id)],
                "context": {"default_pricelist_id": self.id}}


def _as_datetime(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return dt.datetime.fromisoformat(str(value))
