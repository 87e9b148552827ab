"""Countries, their states and groups of countries.

    germany = env.ref("base.de")
    germany.with_context(lang="zh_TW").name     # '德國'
    germany.currency_id.name                     # 'EUR'
    env["res.country"].search([("code", "=", "TW")])

``addons.base.data_loaders.load_countries`` creates every ISO 3166
country from babel's CLDR data, with names in English and Traditional
Chinese.
"""

from __future__ import annotations

from core import api, fields, models
from core.orm import domain as dom

NEGATIVE_OPERATORS = ("!=", "not like", "not ilike", "not in")


def _name_or_code(operator: str, value) -> list:
    leaves = [[("name", operator, value)], [("code", operator, value)]]
    return dom.AND(leaves) if operator in NEGATIVE_OPERATORS else dom.OR(leaves)


class ResCountry(models.Model):
    _name = "res.country"
    _description = "Country"
    _order = "name, id"

    name = fields.Char("Country Name", required=True, translate=True)
    code = fields.Char("Country Code", size=2, required=True,
                       help="The ISO 3166-1 alpha-2 code (two letters)")
    address_format = fields.Text(help="How addresses of this country are printed")
    currency_id = fields.Many2one("res.currency", "Currency")
    phone_code = fields.Integer("Country Calling Code")
    country_group_ids = fields.Many2many("res.country.group",
                                         "res_country_res_country_group_rel",
                                         "res_country_id", "res_country_group_id",
                                         "Country Groups")
    state_ids = fields.One2many("res.country.state", "country_id", "States")
    name_position = fields.Selection([("before", "Before Address"),
                                      ("after", "After Address")],
                                     "Customer Name Position", default="before")
    vat_label = fields.Char("Vat Label", translate=True,
                            help="The name of the tax id in this country")
    state_required = fields.Boolean()
    zip_required = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The code of the country must be unique."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([_upper_code(dict(vals)) for vals in vals_list])

    def write(self, vals):
        return super().write(_upper_code(dict(vals)))

    def _display_name_domain(self, operator: str, value) -> list:
        return _name_or_code(operator, value)


def _upper_code(vals: dict) -> dict:
    if isinstance(vals.get("code"), str):
        vals["code"] = vals["code"].strip().upper()
    return vals


class ResCountryGroup(models.Model):
    _name = "res.country.group"
    _description = "Country Group"
    _order = "name, id"

    name = fields.Char(required=True, translate=True)
    country_ids = fields.Many2many("res.country", "res_country_res_country_group_rel",
                                   "res_country_group_id", "res_country_id", "Countries")


class ResCountryState(models.Model):
    _name = "res.country.state"
    _description = "Country state"
    _order = "code, id"

    country_id = fields.Many2one("res.country", "Country", required=True, index=True)
    name = fields.Char("State Name", required=True)
    code = fields.Char("State Code", required=True, help="The state code, e.g. 'CA'")

    _sql_constraints = [
        ("name_code_uniq", "unique(country_id, code)",
         "The code of the state must be unique by country."),
    ]

    @api.depends("name", "country_id.code")
    def _compute_display_name(self) -> None:
        for state in self:
            code = state.country_id.code
            state.display_name = f"{state.name} ({code})" if code else (state.name or "")

    def _display_name_domain(self, operator: str, value) -> list:
        return _name_or_code(operator, value)
