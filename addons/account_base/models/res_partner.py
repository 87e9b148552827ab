"""A customer's payment terms, fiscal position and bank accounts."""

from __future__ import annotations

from core import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    property_payment_term_id = fields.Many2one(
        "account.payment.term", "Customer Payment Terms",
        help="Used on sales orders and invoices to this customer")
    property_supplier_payment_term_id = fields.Many2one(
        "account.payment.term", "Vendor Payment Terms")
    property_account_position_id = fields.Many2one(
        "account.fiscal.position", "Fiscal Position",
        help="How taxes are mapped for this customer (e.g. zero-rated export); empty: "
             "detected from the country")
    bank_ids = fields.One2many("res.partner.bank", "partner_id", "Banks")
