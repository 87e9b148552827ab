"""Country groups know the price lists offered to them."""

from __future__ import annotations

from core import fields, models


class ResCountryGroup(models.Model):
    _inherit = "res.country.group"

    pricelist_ids = fields.Many2many("product.pricelist", "res_country_group_pricelist_rel",
                                     "res_country_group_id", "pricelist_id", "Pricelists")
