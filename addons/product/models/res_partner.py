"""The customer's price list.

    partner.property_product_pricelist   # their own, else their country's, else the first
    partner.property_product_pricelist = usd_list    # stored as their own

As Odoo 17: ``specific_property_product_pricelist`` holds the price list
chosen for the customer; ``property_product_pricelist`` shows it, or the
price list their country group gets. Contacts use their company's.
"""

from __future__ import annotations

from core import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    specific_property_product_pricelist = fields.Many2one(
        "product.pricelist", "Specific Pricelist", ondelete="set null",
        help="The price list chosen for this customer")
    property_product_pricelist = fields.Many2one(
        "product.pricelist", "Pricelist", compute="_compute_product_pricelist",
        inverse="_inverse_product_pricelist",
        help="Used for sales to this customer instead of the default one")

    @api.depends("specific_property_product_pricelist", "country_id",
                 "commercial_partner_id.specific_property_product_pricelist")
    @api.depends_context("company")
    def _compute_product_pricelist(self) -> None:
        Pricelist = self.env["product.pricelist"]  # noqa: N806
        for partner in self:
            partner.property_product_pricelist = Pricelist._get_partner_pricelist(partner.id) \
                if partner.id else Pricelist._get_country_pricelist(partner.country_id)

    def _inverse_product_pricelist(self) -> None:
        for partner in self:
            commercial = partner.commercial_partner_id or partner
            chosen = partner.property_product_pricelist
            default = self.env["product.pricelist"]._get_country_pricelist(commercial.country_id)
            commercial.specific_property_product_pricelist = \
                False if chosen == default and not commercial.specific_property_product_pricelist \
                else chosen
