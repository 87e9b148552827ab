"""Harmonized System codes and the export tax rebate rate that goes with each.

    env["product.hs.code"].create({"code": "8539.52", "name": "LED lamps",
                                   "export_tax_rebate_rate": 13.0})
    env["product.hs.code"]._rate_for("853952001")     # 13.0: the longest known prefix

An exporter gets part of the VAT paid on its purchases back when it
exports; the rate depends on the goods' HS code. Products take the rate of
the longest code of this table that their own HS code starts with, and
may override it.
"""

from __future__ import annotations

import re

from core import api, fields, models
from core.exceptions import ValidationError
from core.i18n import _

#: 6 digits are the international HS; 8 to 10 national tariff lines; 11 Taiwan's CCC code
HS_CODE_DIGITS = (6, 11)
_SEPARATORS = re.compile(r"[\s.\-]")


def normalize_hs_code(env, code: str | bool) -> str | bool:
    """``code`` without separators ('8539.52.00' -> '85395200'); ValidationError
    unless it is 6 to 11 digits (4 digits, a heading, is accepted in the table)."""
    if not code:
        return False
    digits = _SEPARATORS.sub("", str(code))
    low, high = HS_CODE_DIGITS
    if not digits.isdigit() or not (low <= len(digits) <= high):
        raise ValidationError(_(env, "The HS code %(code)s is not valid: it has %(low)s to "
                                "%(high)s digits (dots and spaces may separate them).",
                                code=code, low=low, high=high))
    return digits


class ProductHsCode(models.Model):
    _name = "product.hs.code"
    _description = "HS Code"
    _order = "code"
    _rec_name = "code"

    code = fields.Char("HS Code", required=True, index=True, size=11)
    name = fields.Char("Description", translate=True)
    export_tax_rebate_rate = fields.Float("Export Tax Rebate (%)", digits=(5, 2),
                                          help="The share of the VAT refunded on export")
    active = fields.Boolean(default=True)

    _sql_constraints = [("code_uniq", "unique(code)", "An HS code is listed once."),
                        ("rate_range", "check(export_tax_rebate_rate >= 0 and "
                                       "export_tax_rebate_rate <= 100)",
                         "The export tax rebate rate lies between 0 and 100.")]

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._normalized(dict(vals)) for vals in vals_list])

    def write(self, vals):
        return super().write(self._normalized(dict(vals)))

    def _normalized(self, vals: dict) -> dict:
        if vals.get("code"):
            code = _SEPARATORS.sub("", str(vals["code"]))
            if not code.isdigit() or not 4 <= len(code) <= HS_CODE_DIGITS[1]:
                raise ValidationError(_(self.env, "The HS code %s is not valid: 4 to 11 "
                                        "digits.", vals["code"]))
            vals["code"] = code
        return vals

    @api.depends("code", "name")
    def _compute_display_name(self) -> None:
        for record in self:
            record.display_name = f"{record.code} {record.name}" if record.name \
                else (record.code or "")

    @api.model
    def _rate_for(self, hs_code: str | bool) -> float | None:
        """The rebate rate of the longest listed code ``hs_code`` starts with."""
        if not hs_code:
            return None
        prefixes = [hs_code[:n] for n in range(4, len(hs_code) + 1)]
        found = self.sudo().search([("code", "in", prefixes)])
        best = max(found, key=lambda r: len(r.code), default=None)
        return best.export_tax_rebate_rate if best else None
