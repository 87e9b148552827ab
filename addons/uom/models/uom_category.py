"""Categories of units of measure: the units of one category convert into each other.

    unit = env.ref("uom.product_uom_categ_unit")
    unit.reference_uom_id          # Units: the unit every other is a multiple of
    unit.uom_ids.mapped("name")    # ['Units', 'Dozens', 'Box of 12', 'Carton of 48']

A category has exactly one *reference* unit (``uom_type == 'reference'``,
factor 1); the others are bigger or smaller than it by their factor.
"""

from __future__ import annotations

from core import api, fields, models
from core.exceptions import ValidationError
from core.i18n import _


class UomCategory(models.Model):
    _name = "uom.category"
    _description = "Product UoM Categories"
    _order = "name, id"

    name = fields.Char("Unit of Measure Category", required=True, translate=True)
    uom_ids = fields.One2many("uom.uom", "category_id", "Units of Measure")
    reference_uom_id = fields.Many2one("uom.uom", "Reference UoM",
                                       compute="_compute_reference_uom_id")

    @api.depends("uom_ids.uom_type")
    def _compute_reference_uom_id(self) -> None:
        for category in self:
            category.reference_uom_id = category.uom_ids.filtered(
                lambda uom: uom.uom_type == "reference")[:1]

    def _check_one_reference(self) -> None:
        """Each category with units has exactly one active reference unit."""
        for category in self:
            units = category.uom_ids
            if not units:
                continue
            references = units.filtered(lambda uom: uom.uom_type == "reference")
            if len(references) != 1:
                raise ValidationError(_(
                    self.env, "The category %(name)s must have exactly one reference unit "
                    "of measure (it has %(count)s).", name=category.name,
                    count=len(references)))
