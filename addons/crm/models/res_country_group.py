"""Sales markets: country groups flagged as the markets a company sells to.

    europe = env.ref("crm.market_europe")            # Germany, France, ... is_market
    env["res.country.group"]._markets_by_country(countries)   # {country id: market id}

A customer's and a deal's market follows their country (the first market
holding it); forecasts, win rates and the dashboard group by it, and a
sales team may take the leads of some markets (``crm.team.market_ids``).
"""

from __future__ import annotations

from typing import Any

from core import api, fields, models


class ResCountryGroup(models.Model):
    _inherit = "res.country.group"

    is_market = fields.Boolean("Sales Market", index=True,
                               help="A market of the sales reports and assignment rules")

    @api.model
    def _markets_by_country(self, countries: Any) -> dict[int, int]:
        """{country id: the first market (by id) holding it}, in one query."""
        ids = [c for c in countries.ids if c] if countries else []
        if not ids:
            return {}
        markets = self.sudo().search([("is_market", "=", True), ("country_ids", "in", ids)],
                                     order="id")
        found: dict[int, int] = {}
        for market in markets:
            for country_id in market.country_ids.ids:
                found.setdefault(country_id, market.id)
        return found
