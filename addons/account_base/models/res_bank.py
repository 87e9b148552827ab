"""Banks and bank accounts, printed on quotations and proforma invoices.

    bank = env["res.bank"].create({"name": "Bank of Taiwan", "bic": "BKTWTWTP"})
    env["res.partner.bank"].create({"partner_id": company.partner_id.id, "bank_id": bank.id,
                                    "acc_number": "123-456-789", "currency_id": usd.id})
    company.bank_ids           # the company's accounts (through its partner)

Odoo keeps these models in ``base``; Troika's base has none, so they
come with ``account_base`` under Odoo's names, for accounting to extend.
"""

from __future__ import annotations

from core import api, fields, models


class ResBank(models.Model):
    _name = "res.bank"
    _description = "Bank"
    _order = "name, id"

    name = fields.Char(required=True)
    street = fields.Char()
    street2 = fields.Char()
    zip = fields.Char()
    city = fields.Char()
    country = fields.Many2one("res.country", "Country")
    email = fields.Char()
    phone = fields.Char()
    active = fields.Boolean(default=True)
    bic = fields.Char("Bank Identifier Code", index=True, help="SWIFT / BIC code")

    @api.depends("name", "bic")
    def _compute_display_name(self) -> None:
        for bank in self:
            bank.display_name = f"{bank.name} - {bank.bic}" if bank.bic else (bank.name or "")


class ResPartnerBank(models.Model):
    _name = "res.partner.bank"
    _description = "Bank Accounts"
    _order = "sequence, id"
    _rec_name = "acc_number"

    active = fields.Boolean(default=True)
    acc_number = fields.Char("Account Number", required=True)
    acc_holder_name = fields.Char("Account Holder Name",
                                  help="When it differs from the partner's name")
    partner_id = fields.Many2one("res.partner", "Account Holder", required=True,
                                 ondelete="cascade", index=True)
    bank_id = fields.Many2one("res.bank", "Bank")
    bank_name = fields.Char(related="bank_id.name")
    bank_bic = fields.Char(related="bank_id.bic")
    sequence = fields.Integer(default=10)
    currency_id = fields.Many2one("res.currency", "Currency",
                                  help="The account's currency, when it holds one only")
    company_id = fields.Many2one("res.company", related="partner_id.company_id", store=True)

    _sql_constraints = [("unique_number", "unique(acc_number, partner_id)",
                         "The account number must be unique per holder.")]
