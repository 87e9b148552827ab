"""Units of measure, and converting quantities and prices between them.

    dozen, unit = env.ref("uom.product_uom_dozen"), env.ref("uom.product_uom_unit")
    dozen._compute_quantity(2, unit)        # 24.0
    unit._compute_quantity(30, dozen)       # 2.5
    unit._compute_price(1.5, dozen)         # 18.0: a price per unit becomes a price per dozen

As in Odoo, ``factor`` is how many of this unit make one reference unit
(a dozen: 1/12) and ``factor_inv`` its inverse (a dozen: 12); a unit
``bigger`` than the reference is given by ``factor_inv``, a ``smaller``
one by ``factor``. ``rounding`` is the precision of quantities in the
unit (0.01 by default; 1 for units that cannot be split).
"""

from __future__ import annotations

import math

from addons.base.tools import float_round
from core import api, fields, models
from core.exceptions import UserError, ValidationError
from core.i18n import _


class UomUom(models.Model):
    _name = "uom.uom"
    _description = "Product Unit of Measure"
    _order = "factor desc, id"

    name = fields.Char("Unit of Measure", required=True, translate=True)
    category_id = fields.Many2one("uom.category", "Category", required=True,
                                  ondelete="restrict")
    factor = fields.Float("Ratio", default=1.0, required=True,
                          help="How many of this unit make one reference unit of its "
                               "category: 1 / (size of this unit in reference units)")
    factor_inv = fields.Float("Bigger Ratio", compute="_compute_factor_inv",
                              inverse="_inverse_factor_inv", store=True,
                              help="How many reference units this unit holds")
    rounding = fields.Float("Rounding Precision", digits=(16, 6), default=0.01, required=True,
                            help="Quantities in this unit are rounded to a multiple of it")
    active = fields.Boolean(default=True)
    uom_type = fields.Selection([("bigger", "Bigger than the reference Unit of Measure"),
                                 ("reference", "Reference Unit of Measure for this category"),
                                 ("smaller", "Smaller than the reference Unit of Measure")],
                                "Type", default="reference", required=True)
    ratio = fields.Float("Combined Ratio", compute="_compute_ratio",
                         help="The size of this unit in reference units, as people say it")

    _sql_constraints = [
        ("factor_gt_zero", "check(factor != 0)", "The conversion ratio cannot be 0."),
        ("rounding_gt_zero", "check(rounding > 0)", "The rounding precision must be positive."),
    ]

    @api.depends("factor")
    def _compute_factor_inv(self) -> None:
        for uom in self:
            uom.factor_inv = 1.0 / uom.factor if uom.factor else 0.0

    def _inverse_factor_inv(self) -> None:
        for uom in self:
            if uom.factor_inv:
                uom.factor = 1.0 / uom.factor_inv

    @api.depends("factor", "uom_type")
    def _compute_ratio(self) -> None:
        for uom in self:
            uom.ratio = 1.0 / uom.factor if uom.factor else 0.0

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._normalize(dict(vals)) for vals in vals_list]
        records = super().create(vals_list)
        records.mapped("category_id")._check_one_reference()
        return records

    def write(self, vals):
        vals = self._normalize(dict(vals))
        categories = self.mapped("category_id")
        result = super().write(vals)
        if {"uom_type", "category_id", "active"} & set(vals):
            (categories | self.mapped("category_id"))._check_one_reference()
        return result

    @staticmethod
    def _normalize(vals: dict) -> dict:
        """A reference unit has the factor 1; a bigger one is given by factor_inv."""
        if vals.get("uom_type") == "reference":
            vals["factor"] = 1.0
            vals.pop("factor_inv", None)
        elif "factor_inv" in vals and "factor" not in vals:
            if not vals["factor_inv"]:
                raise ValidationError("The conversion ratio cannot be 0.")
            vals["factor"] = 1.0 / float(vals.pop("factor_inv"))
        return vals

    @api.constrains("uom_type", "factor")
    def _check_factor(self) -> None:
        for uom in self:
            if uom.uom_type == "bigger" and uom.factor > 1:
                raise ValidationError(_(self.env, "%s is bigger than the reference unit: its "
                                        "ratio must be at most 1.", uom.name))
            if uom.uom_type == "smaller" and uom.factor < 1:
                raise ValidationError(_(self.env, "%s is smaller than the reference unit: "
                                        "its ratio must be at least 1.", uom.name))

    # ------------------------------------------------------------------
    # conversions
    # ------------------------------------------------------------------
    def _check_same_category(self, to_unit) -> None:
        if self.category_id != to_unit.category_id:
            raise UserError(_(
                self.env, "The unit of measure %(from)s cannot be converted to %(to)s: they "
                "are in different categories (%(from_cat)s, %(to_cat)s).",
                **{"from": self.name, "to": to_unit.name, "from_cat": self.category_id.name,
                   "to_cat": to_unit.category_id.name}))

    def _compute_quantity(self, qty: float, to_unit, round: bool = True,  # noqa: A002
                          rounding_method: str = "UP",
                          raise_if_failure: bool = True) -> float:
        """``qty`` of this unit expressed in ``to_unit``, rounded to its
        precision (``rounding_method`` ``UP`` as Odoo's default, or ``HALF-UP``)."""
        if not self or not qty:
            return qty
        self.ensure_one()
        if self == to_unit:
            amount = qty
        else:
            if self.category_id != to_unit.category_id:
                if raise_if_failure:
                    self._check_same_category(to_unit)
                return qty
            amount = qty / self.factor * to_unit.factor
        if to_unit and round:
            amount = _round_quantity(amount, to_unit.rounding, rounding_method)
        return amount

    def _compute_price(self, price: float, to_unit) -> float:
        """A price per one of this unit, as a price per one ``to_unit``."""
        self.ensure_one()
        if not price or not to_unit or self == to_unit:
            return price
        self._check_same_category(to_unit)
        return price * self.factor / to_unit.factor


def _round_quantity(amount: float, rounding: float, method: str) -> float:
    if method == "HALF-UP":
        return float_round(amount, rounding)
    # UP: the next multiple of the rounding away from zero, once binary noise is dropped
    steps = round(abs(amount) / rounding, 6)
    return float_round(math.copysign(math.ceil(steps) * rounding, amount), rounding)
