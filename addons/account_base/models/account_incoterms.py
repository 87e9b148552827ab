"""Incoterms 2020: who pays and bears the risk of transport, up to which named place.

    fob = env.ref("account_base.incoterm_FOB")
    fob.display_name              # 'FOB - Free On Board'
"""

from __future__ import annotations

from core import api, fields, models


class AccountIncoterms(models.Model):
    _name = "account.incoterms"
    _description = "Incoterms"
    _order = "code"

    name = fields.Char(required=True, translate=True, help="The rule's full name")
    code = fields.Char(size=3, required=True, help="The three-letter code, e.g. FOB")
    active = fields.Boolean(default=True)
    transport_mode = fields.Selection(
        [("any", "Any mode of transport"), ("sea", "Sea and inland waterway")],
        default="any", help="The rules FAS, FOB, CFR and CIF are for sea transport only")
    place_hint = fields.Selection(
        [("delivery", "Place of delivery"), ("destination", "Place of destination"),
         ("loading", "Port of shipment"), ("discharge", "Port of destination")],
        "Named Place", default="delivery",
        help="What the named place after the code is (FOB Keelung: the port of shipment)")

    _sql_constraints = [("code_uniq", "unique(code)", "An Incoterm's code is unique.")]

    @api.depends("code", "name")
    def _compute_display_name(self) -> None:
        for incoterm in self:
            incoterm.display_name = f"{incoterm.code} - {incoterm.name}" \
                if incoterm.code else (incoterm.name or "")

    def _display_name_domain(self, operator: str, value) -> list:
        if operator in ("!=", "not like", "not ilike", "not in"):
            return ["&", ("code", operator, value), ("name", operator, value)]
        return ["|", ("code", operator, value), ("name", operator, value)]
