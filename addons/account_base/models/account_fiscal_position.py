"""Fiscal positions: which taxes apply to a customer, by country.

    export = env["account.fiscal.position"].create({
        "name": "Export (zero-rated)", "auto_apply": True,
        "tax_ids": [Command.create({"tax_src_id": vat5.id, "tax_dest_id": vat0.id})]})
    position = env["account.fiscal.position"]._get_fiscal_position(customer)
    position.map_tax(product.taxes_id)            # VAT 0% for an export order

A position applied automatically (``auto_apply``) is chosen by the
delivery country: one naming the country wins over one naming a country
group holding it, which wins over one naming neither (the fallback, e.g.
"export" for every country the company does not sell in domestically);
among equals the lowest sequence wins. A customer's own position
(``property_account_position_id``) wins over all.
"""

from __future__ import annotations

from core import api, fields, models
from core.exceptions import ValidationError
from core.i18n import _


class AccountFiscalPosition(models.Model):
    _name = "account.fiscal.position"
    _description = "Fiscal Position"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char("Fiscal Position", required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", "Company", required=True, index=True,
                                 default=lambda self: self.env.company)
    tax_ids = fields.One2many("account.fiscal.position.tax", "position_id", "Tax Mapping",
                              copy=True)
    note = fields.Html("Notes", translate=True,
                       help="Printed on documents, e.g. 'Zero-rated export under ...'")
    auto_apply = fields.Boolean("Detect Automatically",
                                help="Apply to customers of the countries below")
    vat_required = fields.Boolean("VAT required", help="Only customers with a tax id")
    country_id = fields.Many2one("res.country", "Country")
    country_group_id = fields.Many2one("res.country.group", "Country Group")

    @api.constrains("country_id", "country_group_id")
    def _check_country(self) -> None:
        for position in self:
            group = position.country_group_id
            if position.country_id and group and position.country_id not in group.country_ids:
                raise ValidationError(_(self.env, "The country of the fiscal position %s is "
                                        "not in its country group.", position.name))

    def map_tax(self, taxes):
        """``taxes`` as this position maps them (a tax mapped to nothing is dropped)."""
        if not self:
            return taxes
        result = taxes.browse()
        for tax in taxes:
            lines = self.tax_ids.filtered(lambda line, tax=tax: line.tax_src_id == tax)
            result |= lines.mapped("tax_dest_id") if lines else tax
        return result

    @api.model
    def _get_fiscal_position(self, partner, delivery=None):
        """The position for ``partner`` (and its ``delivery`` address)."""
        if not partner:
            return self.browse()
        commercial = partner.commercial_partner_id or partner
        own = (delivery or partner).sudo().property_account_position_id or \
            commercial.sudo().property_account_position_id
        if own:
            return own
        address = delivery or partner
        return self._best_auto_position(address.country_id, bool(commercial.vat))

    @api.model
    def _best_auto_position(self, country, has_vat: bool):
        company = self.env.company
        candidates = self.search([("auto_apply", "=", True), ("company_id", "=", company.id)])
        best, best_key = self.browse(), None
        for position in candidates:
            if position.vat_required and not has_vat:
                continue
            if position.country_id:
                if position.country_id != country:
                    continue
                score = 2
            elif position.country_group_id:
                if not country or country not in position.country_group_id.country_ids:
                    continue
                score = 1
            else:
                score = 0
            key = (-score, position.sequence, position.id)
            if best_key is None or key < best_key:
                best, best_key = position, key
        return best


class AccountFiscalPositionTax(models.Model):
    _name = "account.fiscal.position.tax"
    _description = "Tax Mapping of Fiscal Position"
    _rec_name = "position_id"

    position_id = fields.Many2one("account.fiscal.position", "Fiscal Position", required=True,
                                  ondelete="cascade", index=True)
    company_id = fields.Many2one("res.company", related="position_id.company_id", store=True)
    tax_src_id = fields.Many2one("account.tax", "Tax on Product", required=True)
    tax_dest_id = fields.Many2one("account.tax", "Tax to Apply",
                                  help="Empty: the tax is removed")

    _sql_constraints = [
        ("tax_src_dest_uniq", "unique(position_id, tax_src_id, tax_dest_id)",
         "A tax fiscal position could be defined only one time on same taxes."),
    ]
