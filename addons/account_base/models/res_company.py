"""What accounting settings a company keeps: tax rounding, default taxes, incoterm, banks."""

from __future__ import annotations

from core import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    tax_calculation_rounding_method = fields.Selection(
        [("round_per_line", "Round per Line"), ("round_globally", "Round Globally")],
        "Tax Calculation Rounding Method", default="round_per_line", required=True,
        help="Per line: each line's taxes are rounded, then added. Globally: each tax is "
             "added over the document exactly, then rounded once.")
    account_sale_tax_id = fields.Many2one("account.tax", "Default Sale Tax")
    account_purchase_tax_id = fields.Many2one("account.tax", "Default Purchase Tax")
    incoterm_id = fields.Many2one("account.incoterms", "Default incoterm",
                                  help="The Incoterm of new sales orders")
    bank_ids = fields.One2many("res.partner.bank", "partner_id", "Bank Accounts",
                               related="partner_id.bank_ids")
