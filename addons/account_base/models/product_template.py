"""The taxes of a product: customer taxes for sales, vendor taxes for purchases."""

from __future__ import annotations

from core import fields, models


def _default_sale_taxes(self):
    return self.env.company.account_sale_tax_id.ids


def _default_purchase_taxes(self):
    return self.env.company.account_purchase_tax_id.ids


class ProductTemplate(models.Model):
    _inherit = "product.template"

    taxes_id = fields.Many2many("account.tax", "product_taxes_rel", "prod_id", "tax_id",
                                "Customer Taxes", default=_default_sale_taxes,
                                domain=[("type_tax_use", "=", "sale")])
    supplier_taxes_id = fields.Many2many("account.tax", "product_supplier_taxes_rel",
                                         "prod_id", "tax_id", "Vendor Taxes",
                                         default=_default_purchase_taxes,
                                         domain=[("type_tax_use", "=", "purchase")])


class ProductProduct(models.Model):
    _inherit = "product.product"

    taxes_id = fields.Many2many("account.tax", related="product_tmpl_id.taxes_id",
                                readonly=False, string="Customer Taxes")
    supplier_taxes_id = fields.Many2many("account.tax", related="product_tmpl_id.supplier_taxes_id",
                                         readonly=False, string="Vendor Taxes")
