"""Taxes: percent, fixed, division and groups, included in the price or not.

    vat = env["account.tax"].create({"name": "VAT 5%", "amount": 5,
                                     "type_tax_use": "sale"})
    vat.compute_all(100.0, currency=usd, quantity=3)
    # {"total_excluded": 300.0, "total_included": 315.0, "total_void": 300.0,
    #  "taxes": [{"id": vat.id, "name": "VAT 5%", "amount": 15.0, "base": 300.0, ...}]}

The arithmetic is ``tools/taxes.py`` (``Decimal``); this model turns
records into its ``TaxSpec`` and its results back into Odoo's shapes.
Whether amounts are rounded per line or once per document is the
company's ``tax_calculation_rounding_method``.
"""

from __future__ import annotations

from decimal import Decimal

from core import api, fields, models
from core.exceptions import ValidationError
from core.i18n import _

from ..tools.taxes import TaxResult, TaxSpec, compute_all


class AccountTaxGroup(models.Model):
    _name = "account.tax.group"
    _description = "Tax Group"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one("res.company", "Company", index=True)


def _default_tax_group(self):
    group = self.env.ref("account_base.tax_group_taxes", raise_if_not_found=False)
    return group.id if group else False


class AccountTax(models.Model):
    _name = "account.tax"
    _description = "Tax"
    _order = "sequence, id"

    name = fields.Char("Tax Name", required=True, translate=True)
    type_tax_use = fields.Selection([("sale", "Sales"), ("purchase", "Purchases"),
                                     ("none", "None")], "Tax Type", default="sale",
                                    required=True,
                                    help="Where the tax may be chosen; 'None' for taxes "
                                         "used only inside a group")
    amount_type = fields.Selection([("group", "Group of Taxes"), ("fixed", "Fixed"),
                                    ("percent", "Percentage of Price"),
                                    ("division", "Percentage of Price Tax Included")],
                                   "Tax Computation", default="percent", required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", "Company", required=True, index=True,
                                 default=lambda self: self.env.company)
    children_tax_ids = fields.Many2many("account.tax", "account_tax_filiation_rel",
                                        "parent_tax", "child_tax", "Children Taxes")
    sequence = fields.Integer(default=1, help="Taxes of a line apply in this order")
    amount = fields.Float(digits=(16, 4), default=0.0,
                          help="A percentage, or an amount per unit for a fixed tax")
    description = fields.Char("Label on Invoices", translate=True)
    invoice_label = fields.Char(related="description", readonly=False)
    price_include = fields.Boolean("Included in Price", default=False,
                                   help="The prices it applies to already contain it")
    include_base_amount = fields.Boolean("Affect Base of Subsequent Taxes", default=False)
    is_base_affected = fields.Boolean("Base Affected by Previous Taxes", default=True)
    tax_group_id = fields.Many2one("account.tax.group", "Tax Group", required=True,
                                   default=_default_tax_group)
    country_id = fields.Many2one("res.country", "Country",
                                 help="The country whose tax this is")

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id, type_tax_use)",
         "Tax names must be unique per company and tax type."),
    ]

    @api.constrains("amount_type", "amount", "children_tax_ids")
    def _check_amount(self) -> None:
        for tax in self:
            if tax.amount_type == "division" and not 0 <= tax.amount < 100:
                raise ValidationError(_(self.env, "A tax computed on the price tax included "
                                        "lies between 0 and 100 %% (%s).", tax.name))
            if tax.amount_type == "group":
                if tax in tax.children_tax_ids or \
                        tax.children_tax_ids.filtered(lambda c: c.amount_type == "group"):
                    raise ValidationError(_(self.env, "A group of taxes holds plain taxes "
                                            "only (%s).", tax.name))

    @api.depends("name", "type_tax_use")
    def _compute_display_name(self) -> None:
        for tax in self:
            tax.display_name = tax.name or ""

    # ------------------------------------------------------------------
    # computation
    # ------------------------------------------------------------------
    def flatten_taxes_hierarchy(self):
        """The taxes in order of application: by sequence, groups replaced by
        their children (by sequence)."""
        result = self.browse()
        for tax in self.sorted(key=lambda t: (t.sequence, t.id)):
            if tax.amount_type == "group":
                result |= tax.children_tax_ids.sorted(key=lambda t: (t.sequence, t.id))
            else:
                result |= tax
        return result

    def _tax_specs(self, handle_price_include: bool = True) -> list[TaxSpec]:
        return [TaxSpec(id=tax.id, name=tax.name, amount_type=tax.amount_type,
                        amount=Decimal(str(tax.amount)),
                        price_include=tax.price_include and handle_price_include,
                        include_base_amount=tax.include_base_amount,
                        is_base_affected=tax.is_base_affected,
                        group_id=tax.tax_group_id.id)
                for tax in self.flatten_taxes_hierarchy()]

    def _compute_decimal(self, price_unit: float, currency=None, quantity: float = 1.0,
                         round_per_line: bool | None = None,
                         handle_price_include: bool = True) -> TaxResult:
        """The ``Decimal`` result, rounded to ``currency`` (default: the
        company's) per line, or exact when the company (of the first tax, else
        the environment's) rounds globally."""
        company = self[:1].company_id or self.env.company
        if round_per_line is None:
            round_per_line = company.tax_calculation_rounding_method != "round_globally"
        currency = currency or company.currency_id
        rounding = Decimal(str(currency.rounding)) if round_per_line else None
        return compute_all(self._tax_specs(handle_price_include), Decimal(str(price_unit)),
                           Decimal(str(quantity)), rounding)

    def compute_all(self, price_unit: float, currency=None, quantity: float = 1.0,
                    product=None, partner=None, is_refund: bool = False,
                    handle_price_include: bool = True, include_caba_tags: bool = False,
                    fixed_multiplicator: float = 1) -> dict:
        """Odoo's shape: ``total_excluded``, ``total_included``, ``total_void``,
        ``base`` and ``taxes`` (one dict per tax, groups expanded), as floats."""
        result = self._compute_decimal(price_unit, currency, quantity * fixed_multiplicator,
                                       handle_price_include=handle_price_include)
        by_id = {tax.id: tax for tax in self.flatten_taxes_hierarchy()}
        return {
            "base_tags": [],
            "total_excluded": float(result.total_excluded),
            "total_included": float(result.total_included),
            "total_void": float(result.total_excluded),
            "taxes": [{"id": t.id, "name": t.name, "amount": float(t.amount),
                       "base": float(t.base), "sequence": by_id[t.id].sequence,
                       "price_include": t.price_include,
                       "group": by_id[t.id].tax_group_id.id}
                      for t in result.taxes],
        }
