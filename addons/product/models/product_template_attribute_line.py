"""An attribute on a template, with the values the template offers.

    panel.attribute_line_ids = [Command.create({"attribute_id": wattage.id,
                                                "value_ids": [(6, 0, values.ids)]})]
    panel.attribute_line_ids.product_template_value_ids   # one per value, with price_extra
"""

from __future__ import annotations

from core import api, fields, models
from core.exceptions import ValidationError
from core.i18n import _


class ProductTemplateAttributeLine(models.Model):
    _name = "product.template.attribute.line"
    _description = "Product Template Attribute Line"
    _order = "sequence, attribute_id, id"
    _rec_name = "attribute_id"

    active = fields.Boolean(default=True)
    product_tmpl_id = fields.Many2one("product.template", "Product Template", required=True,
                                      ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    attribute_id = fields.Many2one("product.attribute", "Attribute", required=True,
                                   ondelete="restrict", index=True)
    value_ids = fields.Many2many("product.attribute.value",
                                 "product_attribute_value_product_template_attribute_line_rel",
                                 "product_template_attribute_line_id",
                                 "product_attribute_value_id", "Values")
    value_count = fields.Integer(compute="_compute_value_count", store=True)
    product_template_value_ids = fields.One2many("product.template.attribute.value",
                                                 "attribute_line_id", "Product Attribute Values")

    _sql_constraints = [
        ("attribute_uniq", "unique(product_tmpl_id, attribute_id)",
         "A product has each attribute once."),
    ]

    @api.depends("value_ids")
    def _compute_value_count(self) -> None:
        for line in self:
            line.value_count = len(line.value_ids)

    @api.constrains("value_ids", "attribute_id")
    def _check_values(self) -> None:
        for line in self:
            if line.value_ids.mapped("attribute_id") - line.attribute_id:
                raise ValidationError(_(
                    self.env, "On the product %(product)s the attribute %(attribute)s has "
                    "values of another attribute.", product=line.product_tmpl_id.name,
                    attribute=line.attribute_id.name))

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self.env.context.get("create_product_product"):
            lines.mapped("product_tmpl_id")._create_variant_ids()
        return lines

    def write(self, vals):
        templates = self.mapped("product_tmpl_id")
        result = super().write(vals)
        if {"value_ids", "attribute_id", "active", "product_tmpl_id"} & set(vals):
            (templates | self.mapped("product_tmpl_id"))._create_variant_ids()
        return result

    def unlink(self):
        templates = self.mapped("product_tmpl_id")
        result = super().unlink()
        templates.exists()._create_variant_ids()
        return result

    def _sync_values(self) -> None:
        """One template attribute value per value of the line (kept, and
        deactivated when the value leaves the line, so variants keep theirs)."""
        PTAV = self.env["product.template.attribute.value"]  # noqa: N806
        to_create = []
        for line in self:
            existing = {ptav.product_attribute_value_id.id: ptav
                        for ptav in line.product_template_value_ids}
            for value in line.value_ids:
                ptav = existing.get(value.id)
                if ptav is None:
                    to_create.append({"attribute_line_id": line.id,
                                      "product_attribute_value_id": value.id,
                                      "price_extra": value.default_extra_price})
                elif not ptav.ptav_active:
                    ptav.ptav_active = True
            for value_id, ptav in existing.items():
                if value_id not in line.value_ids.ids and ptav.ptav_active:
                    ptav.ptav_active = False
        if to_create:
            PTAV.create(to_create)
